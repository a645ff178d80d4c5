package io.keel.s3.address;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The S3 general-purpose bucket naming rules; a bad name is refused with the rule it breaks. */
public final class BucketNames {
    // Prefixes and suffixes AWS reserves for access points, directory buckets, test buckets etc.
    private static final List<String> RESERVED_PREFIXES = List.of("xn--", "sthree-", "amzn-s3-demo-");
    private static final List<String> RESERVED_SUFFIXES = List.of("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3");

    private BucketNames() {
    }

    /** Empty when {@code name} is a valid bucket name, otherwise why it is not. */
    public static Optional<String> problem(String name) {
        Objects.requireNonNull(name, "name");
        if (name.length() < 3 || name.length() > 63) {
            return Optional.of("Bucket name must be between 3 and 63 characters long");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-')) {
                return Optional.of("Bucket name can contain only lowercase letters, numbers, dots and hyphens");
            }
        }
        if (!alnum(name.charAt(0)) || !alnum(name.charAt(name.length() - 1))) {
            return Optional.of("Bucket name must begin and end with a letter or number");
        }
        if (name.contains("..")) {
            return Optional.of("Bucket name must not contain two adjacent periods");
        }
        if (name.contains(".-") || name.contains("-.")) {
            // A label ending or starting with a hyphen is not a DNS host name: virtual-hosted
            // addressing could not reach such a bucket.
            return Optional.of("Bucket name must not contain a hyphen next to a period");
        }
        if (looksLikeIpv4(name)) {
            return Optional.of("Bucket name must not be formatted as an IP address");
        }
        for (String p : RESERVED_PREFIXES) {
            if (name.startsWith(p)) {
                return Optional.of("Bucket name must not start with the reserved prefix '" + p + "'");
            }
        }
        for (String s : RESERVED_SUFFIXES) {
            if (name.endsWith(s)) {
                return Optional.of("Bucket name must not end with the reserved suffix '" + s + "'");
            }
        }
        return Optional.empty();
    }

    public static boolean isValid(String name) {
        return problem(name).isEmpty();
    }

    private static boolean alnum(char c) {
        return c >= 'a' && c <= 'z' || c >= '0' && c <= '9';
    }

    private static boolean looksLikeIpv4(String name) {
        String[] parts = name.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                return false;
            }
        }
        return true;
    }
}
