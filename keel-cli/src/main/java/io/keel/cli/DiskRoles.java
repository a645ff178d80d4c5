package io.keel.cli;

import io.keel.cli.Views.DiskRoleRequest;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Disk roles as the CLI accepts them, checked before anything is sent: the role names of the API,
 * a tier (0-3) only for storage, cache and metadata+cache, checksumming and caching only for storage.
 */
final class DiskRoles {
    static final List<String> NAMES = List.of("none", "storage", "metadata", "cache", "metadata+cache", "system");
    static final String SPEC_HELP = "DISK=ROLE[,tier=N][,checksum|,no-checksum][,cache|,no-cache]";

    private DiskRoles() {}

    /** The API's name for {@code role}; metadata-cache and metadata_cache are accepted for metadata+cache. */
    static String roleName(String role) {
        String r = role == null ? "" : role.strip().toLowerCase(Locale.ROOT);
        if (r.equals("metadata-cache") || r.equals("metadata_cache")) {
            r = "metadata+cache";
        }
        if (!NAMES.contains(r)) {
            throw new IllegalArgumentException("unknown role '" + role + "': expected one of " + String.join(", ", NAMES));
        }
        return r;
    }

    static boolean tiered(String role) {
        return role.equals("storage") || role.equals("cache") || role.equals("metadata+cache");
    }

    /** A checked request; {@code role} must already be an API role name. */
    static DiskRoleRequest request(String disk, String role, Integer tier, Boolean checksumming, Boolean caching) {
        if (tier != null && !tiered(role)) {
            throw new IllegalArgumentException("role " + role + " takes no tier (only storage, cache and metadata+cache do)");
        }
        if (tier != null && (tier < 0 || tier > 3)) {
            throw new IllegalArgumentException("tier must be 0, 1, 2 or 3, got " + tier);
        }
        if (!role.equals("storage") && (Boolean.TRUE.equals(checksumming) || Boolean.TRUE.equals(caching))) {
            throw new IllegalArgumentException("checksumming and caching apply to the storage role only");
        }
        return new DiskRoleRequest(disk, role, tier, checksumming, caching);
    }

    /**
     * Parses {@value #SPEC_HELP}: the disk, '=', the role, then comma-separated settings. Commas
     * separate settings because '+' is part of the role name metadata+cache.
     */
    static DiskRoleRequest parseSpec(String spec) {
        int eq = spec.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("invalid role '" + spec + "': expected " + SPEC_HELP
                    + ", e.g. sdb=storage,tier=0,checksum");
        }
        String disk = spec.substring(0, eq).strip();
        String[] parts = spec.substring(eq + 1).split(",", -1);
        String role;
        try {
            role = roleName(parts[0]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid role '" + spec + "': " + e.getMessage());
        }
        Integer tier = null;
        Boolean checksumming = null;
        Boolean caching = null;
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].strip().toLowerCase(Locale.ROOT);
            if (p.startsWith("tier=")) {
                if (tier != null) {
                    throw new IllegalArgumentException("invalid role '" + spec + "': tier given twice");
                }
                try {
                    tier = Integer.valueOf(p.substring("tier=".length()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("invalid role '" + spec + "': tier must be a number from 0 to 3");
                }
            } else if (p.equals("checksum") || p.equals("checksumming")) {
                checksumming = Boolean.TRUE;
            } else if (p.equals("no-checksum") || p.equals("no-checksumming")) {
                checksumming = Boolean.FALSE;
            } else if (p.equals("cache") || p.equals("caching")) {
                caching = Boolean.TRUE;
            } else if (p.equals("no-cache") || p.equals("no-caching")) {
                caching = Boolean.FALSE;
            } else {
                throw new IllegalArgumentException("invalid role '" + spec + "': unknown setting '" + parts[i]
                        + "' (expected tier=N, checksum, no-checksum, cache or no-cache)");
            }
        }
        try {
            return request(disk, role, tier, checksumming, caching);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid role '" + spec + "': " + e.getMessage());
        }
    }

    static final class SpecConverter implements ITypeConverter<DiskRoleRequest> {
        @Override
        public DiskRoleRequest convert(String value) {
            try {
                return parseSpec(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
