package io.keel.s3.auth;

import java.time.Instant;
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

    /** Parses {@code 20130524T000000Z}; anything else, including a valid but differently shaped date, is empty. */
    public static Optional<Instant> parseBasic(String s) {
        if (s == null || s.length() != 16) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.from(BASIC.parse(s)));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
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
        return BASIC.format(t);
    }
}
