package io.keel.s3store.index;

import io.keel.meta.store.Utf8Keys;
import java.util.Comparator;

/**
 * The order of index shards, keel-meta's {@link Utf8Keys} (UTF-8 bytes, not Java's UTF-16
 * {@code compareTo}), plus the bound past a prefix that listing needs.
 */
public final class Utf8Order {
    public static final Comparator<String> COMPARATOR = Utf8Keys.ORDER;

    private Utf8Order() {
    }

    public static int compare(String a, String b) {
        return Utf8Keys.compare(a, b);
    }

    /** The least string (in this order) greater than every string that starts with {@code prefix}. */
    public static String pastPrefix(String prefix) {
        String p = prefix;
        while (!p.isEmpty()) {
            int last = p.codePointBefore(p.length());
            String rest = p.substring(0, p.length() - Character.charCount(last));
            int next = last + 1;
            // Skip the surrogate range: those code points have no UTF-8 form of their own.
            if (next >= Character.MIN_SURROGATE && next <= Character.MAX_SURROGATE) {
                next = Character.MAX_SURROGATE + 1;
            }
            if (next <= Character.MAX_CODE_POINT) {
                return rest + Character.toString(next);
            }
            p = rest;
        }
        return prefix + Character.toString(Character.MAX_CODE_POINT);
    }
}
