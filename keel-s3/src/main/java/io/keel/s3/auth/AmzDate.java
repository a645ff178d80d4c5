package io.keel.s3.auth;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/** The two timestamp forms SigV4 requests carry: ISO 8601 basic (x-amz-date) and RFC 1123 (Date). */
public final class AmzDate {
    private static final DateTimeFormatter BASIC =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private AmzDate() {
    }

    /**
     * Parses {@code 20130524T000000Z}; anything else, including a valid but differently shaped date, is empty.
     * By hand: every signed request carries one, and the formatter's general parser cost more CPU
     * than the signature check it serves.
     */
    public static Optional<Instant> parseBasic(String s) {
        if (s == null || s.length() != 16 || s.charAt(8) != 'T' || s.charAt(15) != 'Z') {
            return Optional.empty();
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 4, 6);
        int day = digits(s, 6, 8);
        int hour = digits(s, 9, 11);
        int minute = digits(s, 11, 13);
        int second = digits(s, 13, 15);
        if ((year | month | day | hour | minute | second) < 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDateTime.of(year, month, day, hour, minute, second).toInstant(ZoneOffset.UTC));
        } catch (DateTimeException e) {
            return Optional.empty(); // 20130231T..., 20130524T250000Z
        }
    }

    /** The decimal value of s[from, to), or -1 if any of it is not an ASCII digit. */
    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    public static Optional<Instant> parseRfc1123(String s) {
        if (s == null || s.length() > 64) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.from(DateTimeFormatter.RFC_1123_DATE_TIME.parse(s.trim())));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    public static String formatBasic(Instant t) {
        LocalDateTime d = LocalDateTime.ofEpochSecond(t.getEpochSecond(), 0, ZoneOffset.UTC);
        if (d.getYear() < 0 || d.getYear() > 9999) {
            return BASIC.format(t); // the formatter's rendering of years outside four digits
        }
        StringBuilder b = new StringBuilder(16);
        pad(b, d.getYear(), 4);
        pad(b, d.getMonthValue(), 2);
        pad(b, d.getDayOfMonth(), 2);
        b.append('T');
        pad(b, d.getHour(), 2);
        pad(b, d.getMinute(), 2);
        pad(b, d.getSecond(), 2);
        return b.append('Z').toString();
    }

    private static void pad(StringBuilder b, int value, int width) {
        String v = Integer.toString(value);
        b.repeat('0', width - v.length()).append(v);
    }
}
