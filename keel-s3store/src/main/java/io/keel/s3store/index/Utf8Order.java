package io.keel.s3store.index;

import java.util.Comparator;

/**
 * The order of index shards: UTF-8 bytes, which is code point order. Java's {@code compareTo}
 * compares UTF-16 units and disagrees for supplementary characters against U+E000..U+FFFF.
 */
public final class Utf8Order {
    public static final Comparator<String> COMPARATOR = Utf8Order::compare;

    private Utf8Order() {
    }

    public static int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
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
