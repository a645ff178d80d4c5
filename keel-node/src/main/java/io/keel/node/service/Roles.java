package io.keel.node.service;

import io.keel.api.ApiException;
import io.keel.api.dto.DiskRoleRequest;
import io.keel.meta.cluster.DiskRole;
import java.util.Locale;

/** Translates role names as administrators write them to {@link DiskRole} and back. */
final class Roles {
    private Roles() {}

    static DiskRole parse(DiskRoleRequest req) {
        if (req == null || req.role() == null) {
            throw ApiException.invalid("a role is required: one of none, storage, metadata, cache, metadata+cache, system");
        }
        DiskRole.Type type = switch (req.role().toLowerCase(Locale.ROOT)) {
            case "none" -> DiskRole.Type.NONE;
            case "storage" -> DiskRole.Type.STORAGE;
            case "metadata" -> DiskRole.Type.METADATA;
            case "cache" -> DiskRole.Type.CACHE;
            case "metadata+cache" -> DiskRole.Type.METADATA_CACHE;
            case "system" -> DiskRole.Type.SYSTEM;
            default -> throw ApiException.invalid("unknown role '" + req.role()
                    + "': use none, storage, metadata, cache, metadata+cache or system");
        };
        boolean tiered = type == DiskRole.Type.STORAGE || type == DiskRole.Type.CACHE
                || type == DiskRole.Type.METADATA_CACHE;
        Integer tier = req.tier();
        if (tiered && tier == null) {
            tier = 0;
        }
        boolean checksumming = type == DiskRole.Type.STORAGE
                && (req.checksumming() == null || req.checksumming());
        boolean caching = Boolean.TRUE.equals(req.caching());
        try {
            return new DiskRole(type, tier, checksumming, caching);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(e.getMessage());
        }
    }

    static String name(DiskRole.Type type) {
        return switch (type) {
            case NONE -> "none";
            case STORAGE -> "storage";
            case METADATA -> "metadata";
            case CACHE -> "cache";
            case METADATA_CACHE -> "metadata+cache";
            case SYSTEM -> "system";
        };
    }
}
