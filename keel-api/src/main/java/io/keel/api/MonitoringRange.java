package io.keel.api;

import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The spans the dashboard shows, each with the step its points are averaged to (ADR 0053). */
public enum MonitoringRange {
    M30("30m", Duration.ofMinutes(30), 10),
    H1("1h", Duration.ofHours(1), 10),
    H6("6h", Duration.ofHours(6), 60),
    H12("12h", Duration.ofHours(12), 120),
    D7("7d", Duration.ofDays(7), 300);

    private final String text;
    private final Duration span;
    private final int stepSeconds;

    MonitoringRange(String text, Duration span, int stepSeconds) {
        this.text = text;
        this.span = span;
        this.stepSeconds = stepSeconds;
    }

    public String text() {
        return text;
    }

    public Duration span() {
        return span;
    }

    public int stepSeconds() {
        return stepSeconds;
    }

    /** The range {@code text} names; 400 naming the allowed ones for anything else, null included. */
    public static MonitoringRange parse(String text) {
        for (MonitoringRange r : values()) {
            if (r.text.equals(text)) {
                return r;
            }
        }
        String allowed = Arrays.stream(values()).map(MonitoringRange::text).collect(Collectors.joining(", "));
        throw new ApiException(400, "invalid", "range must be one of " + allowed
                + (text == null ? "" : ", not '" + text + "'"), java.util.Map.of("field", "range"));
    }
}
