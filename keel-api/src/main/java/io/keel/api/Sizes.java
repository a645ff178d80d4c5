package io.keel.api;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes as people type them: a number of bytes, or a number ending in K, M, G or T, which are
 * powers of 1024 (so "64M" is 64 MiB, the chunk size the ADR speaks of). "KiB"/"KB"-style
 * endings are accepted too because the CLI prints sizes as "10.0 GiB" and people paste them back.
 */
public final class Sizes {
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(?:([KMGT])(?:I?B)?|B)?");

    private Sizes() {}

    /**
     * The size in bytes; {@code field} names the value in the error, e.g. "size" or "chunkSize".
     *
     * @throws ApiException 400 invalid when {@code text} is missing, malformed or above 2^63-1 bytes
     */
    public static long parse(String field, String text) {
        if (text == null || text.isBlank()) {
            throw ApiException.invalid(field + " is required");
        }
        Matcher m = SIZE.matcher(text.strip().toUpperCase(Locale.ROOT));
        if (!m.matches()) {
            throw ApiException.invalid(field
                    + " must be a number of bytes or end in K, M, G, T (powers of 1024): \"" + text + "\"");
        }
        int shift = m.group(2) == null ? 0 : switch (m.group(2)) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            default -> 40;
        };
        try {
            long n = Long.parseLong(m.group(1));
            if (n > Long.MAX_VALUE >> shift) {
                throw new NumberFormatException();
            }
            return n << shift;
        } catch (NumberFormatException e) {
            throw ApiException.invalid(field + " is too large: \"" + text + "\"");
        }
    }

    /**
     * A size given in whole MiB, such as a VM's RAM ("512M", "2G"; a bare number is bytes).
     *
     * @throws ApiException 400 invalid when {@code text} is malformed, not a whole number of MiB, or
     *     beyond 2^31-1 MiB
     */
    public static int parseMiB(String field, String text) {
        long bytes = parse(field, text);
        if (bytes % (1L << 20) != 0) {
            throw ApiException.invalid(field + " must be a whole number of MiB (such as 512M or 2G): \"" + text + "\"");
        }
        long mib = bytes >> 20;
        if (mib > Integer.MAX_VALUE) {
            throw ApiException.invalid(field + " is too large: \"" + text + "\"");
        }
        return (int) mib;
    }
}
