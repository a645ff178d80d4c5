package io.keel.cli;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/** Small text formatting helpers shared by the commands. */
final class Format {
    private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private Format() {}

    /** HEALTHY → Healthy, METADATA_CACHE → Metadata cache; null → "-". */
    static String titleCase(String value) {
        if (value == null || value.isEmpty()) {
            return "-";
        }
        String lower = value.toLowerCase(Locale.ROOT).replace('_', ' ');
        return Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
    }

    /** 400 → "0.4s", 75_000 → "1m15s", 7_500_000 → "2h05m", 200_000_000 → "2d07h"; null → "-". */
    static String age(Long millis) {
        if (millis == null) {
            return "-";
        }
        long ms = Math.max(0, millis);
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
        }
        long s = ms / 1000;
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        if (s < 86_400) {
            return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
        }
        return String.format(Locale.ROOT, "%dd%02dh", s / 86_400, s % 86_400 / 3600);
    }

    /** Binary units with one decimal: "512 B", "931.5 GiB", "3.6 TiB". */
    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double v = bytes;
        int unit = -1;
        while (v >= 1024 && unit < UNITS.length - 1) {
            v /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, UNITS[unit]);
    }

    static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.1f GiB", bytes / (1024.0 * 1024 * 1024));
    }

    /** An ISO-8601 instant to the second, e.g. 2026-11-23T18:38:30Z; unparseable text as it is; null → "-". */
    static String instant(String iso) {
        if (iso == null || iso.isBlank()) {
            return "-";
        }
        try {
            return Instant.parse(iso).truncatedTo(ChronoUnit.SECONDS).toString();
        } catch (DateTimeParseException e) {
            return iso;
        }
    }

    /** The instant with how far it is from now: "2026-11-23T18:38:30Z (in 23h59m)" or "(... ago)". */
    static String instantRelative(String iso, Clock clock) {
        String text = instant(iso);
        try {
            Duration d = Duration.between(clock.instant(), Instant.parse(iso));
            return d.isNegative()
                    ? text + " (" + age(d.negated().toMillis()) + " ago)"
                    : text + " (in " + age(d.toMillis()) + ")";
        } catch (DateTimeParseException | NullPointerException e) {
            return text;
        }
    }

    /** Raw bytes per byte of data, "1.40x": two decimals so 17+3 (1.18x) and 7+2 (1.29x) stay apart. */
    static String overhead(double overhead) {
        return String.format(Locale.ROOT, "%.2fx", overhead);
    }

    static String yesNo(boolean value) {
        return value ? "yes" : "no";
    }

    static String orDash(String value) {
        return value == null || value.isBlank() ? "-" : value;
    }

    static String list(List<String> values) {
        return values == null || values.isEmpty() ? "-" : String.join(",", values);
    }

    /** "storage tier 0 (checksum, cache)", "metadata", "-". */
    static String role(String role, Integer tier, boolean checksumming, boolean caching) {
        if (role == null || role.isBlank()) {
            return "-";
        }
        StringBuilder sb = new StringBuilder(role);
        if (tier != null) {
            sb.append(" tier ").append(tier);
        }
        if (checksumming || caching) {
            sb.append(" (");
            if (checksumming) {
                sb.append("checksum");
            }
            if (caching) {
                sb.append(checksumming ? ", " : "").append("cache");
            }
            sb.append(')');
        }
        return sb.toString();
    }

    /** host:port, or host alone when the port is not known. */
    static String hostPort(String host, int port) {
        if (host == null || host.isBlank()) {
            return "-";
        }
        String h = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
        return port > 0 ? h + ":" + port : host;
    }
}
