package io.keel.s3.http;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;

/** HTTP dates (RFC 7231 IMF-fixdate, two-digit day as S3 sends it), second precision. */
public final class HttpDates {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private HttpDates() {
    }

    public static String format(Instant t) {
        return FORMAT.format(t);
    }

    /** Parses IMF-fixdate (and RFC 1123 with a one-digit day); empty when unparseable, which callers ignore. */
    public static Optional<Instant> parse(String value) {
        String v = value.strip();
        try {
            return Optional.of(ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            try {
                return Optional.of(Instant.parse(v));
            } catch (DateTimeParseException e2) {
                return Optional.empty();
            }
        }
    }

    /** HTTP dates carry seconds, so comparisons drop what the header could not express. */
    public static Instant seconds(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS);
    }
}
