package io.keel.storage.chunk;

import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * Names one chunk: the {@code index}-th chunk of volume {@code volumeId}.
 *
 * <p>{@code volumeId} is 1 to 64 characters from {@code [A-Za-z0-9-]}; {@code index} is at least
 * 0. The restricted alphabet lets {@link #fileName()} be used on any filesystem without escaping.
 */
public record ChunkId(String volumeId, long index) implements Comparable<ChunkId> {

    /** Longest volume id, also the limit of its one-byte length on the wire. */
    public static final int MAX_VOLUME_ID_LENGTH = 64;

    private static final HexFormat HEX = HexFormat.of();

    public ChunkId {
        Objects.requireNonNull(volumeId, "volumeId");
        if (!isValidVolumeId(volumeId)) {
            throw new IllegalArgumentException(
                    "volume id must be 1-64 characters from [A-Za-z0-9-]: \"" + volumeId + "\"");
        }
        if (index < 0) {
            throw new IllegalArgumentException("chunk index must be >= 0: " + index);
        }
    }

    /** True if {@code s} is 1-64 characters from {@code [A-Za-z0-9-]}. */
    public static boolean isValidVolumeId(String s) {
        if (s == null || s.isEmpty() || s.length() > MAX_VOLUME_ID_LENGTH) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isVolumeIdChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** True for the characters a volume id may contain. */
    public static boolean isVolumeIdChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
    }

    /**
     * A stable file-name stem: {@code <volumeId>_<index as 16 hex digits>}. The underscore cannot
     * occur in a volume id, so the name parses back unambiguously, and the fixed-width index makes
     * a directory listing sort by chunk.
     */
    public String fileName() {
        return volumeId + "_" + HEX.toHexDigits(index);
    }

    /** Parses a stem made by {@link #fileName()}; empty for anything else. */
    public static Optional<ChunkId> fromFileName(String stem) {
        Objects.requireNonNull(stem, "stem");
        int sep = stem.indexOf('_');
        if (sep < 0 || stem.length() - sep - 1 != 16) {
            return Optional.empty();
        }
        String volume = stem.substring(0, sep);
        String hex = stem.substring(sep + 1);
        for (int i = 0; i < hex.length(); i++) {
            if (!HexFormat.isHexDigit(hex.charAt(i)) || Character.isUpperCase(hex.charAt(i))) {
                return Optional.empty();
            }
        }
        long index = HexFormat.fromHexDigitsToLong(hex);
        if (!isValidVolumeId(volume) || index < 0) {
            return Optional.empty();
        }
        return Optional.of(new ChunkId(volume, index));
    }

    @Override
    public int compareTo(ChunkId o) {
        int c = volumeId.compareTo(o.volumeId);
        return c != 0 ? c : Long.compare(index, o.index);
    }

    /** {@code volume/index}, the form used in log lines and exception messages. */
    @Override
    public String toString() {
        return volumeId + "/" + index;
    }
}
