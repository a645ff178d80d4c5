package io.keel.ha.sim;

import io.keel.ha.HaEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The scenario's output: one line per event, "TIME SOURCE TEXT", times in virtual seconds. */
final class EventLog {
    private final Instant epoch;
    private final List<String> lines = new ArrayList<>();

    EventLog(Instant epoch) {
        this.epoch = epoch;
    }

    String time(Instant t) {
        return HaEvent.seconds(Duration.between(epoch, t));
    }

    void event(String source, HaEvent e) {
        add(e.at(), source, e.describe(this::time));
    }

    void add(Instant at, String source, String text) {
        lines.add(String.format(Locale.ROOT, "%5s %-4s %s", time(at), source, text));
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    String text() {
        return String.join("\n", lines) + "\n";
    }
}
