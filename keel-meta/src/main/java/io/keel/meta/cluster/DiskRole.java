package io.keel.meta.cluster;

import java.util.Objects;

/**
 * The role of one disk. {@code tier} is the storage tier (0-3) for STORAGE, and the tier served
 * for CACHE and METADATA_CACHE; null for the others.
 */
public record DiskRole(Type type, Integer tier, boolean checksumming, boolean caching) {
    public enum Type { NONE, STORAGE, METADATA, CACHE, METADATA_CACHE, SYSTEM }

    public static final DiskRole NONE = new DiskRole(Type.NONE, null, false, false);
    public static final DiskRole METADATA = new DiskRole(Type.METADATA, null, false, false);
    public static final DiskRole SYSTEM = new DiskRole(Type.SYSTEM, null, false, false);

    public DiskRole {
        Objects.requireNonNull(type, "type");
        boolean tiered = type == Type.STORAGE || type == Type.CACHE || type == Type.METADATA_CACHE;
        if (tiered && (tier == null || tier < 0 || tier > 3)) {
            throw new IllegalArgumentException("role " + type + " needs a tier from 0 to 3, got " + tier);
        }
        if (!tiered && tier != null) {
            throw new IllegalArgumentException("role " + type + " takes no tier");
        }
        if (type != Type.STORAGE && (checksumming || caching)) {
            throw new IllegalArgumentException("checksumming and caching apply to the storage role only");
        }
    }

    public static DiskRole storage(int tier, boolean checksumming, boolean caching) {
        return new DiskRole(Type.STORAGE, tier, checksumming, caching);
    }

    public boolean isMetadata() {
        return type == Type.METADATA || type == Type.METADATA_CACHE;
    }
}
