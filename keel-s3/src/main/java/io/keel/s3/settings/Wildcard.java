package io.keel.s3.settings;

/** Matching with at most one {@code *} (any run of characters), the only wildcard the settings allow. */
final class Wildcard {
    private Wildcard() {
    }

    static boolean matches(String pattern, String value) {
        int star = pattern.indexOf('*');
        if (star < 0) {
            return pattern.equals(value);
        }
        String head = pattern.substring(0, star);
        String tail = pattern.substring(star + 1);
        return value.length() >= head.length() + tail.length() && value.startsWith(head) && value.endsWith(tail);
    }
}
