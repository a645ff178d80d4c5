package io.keel.meta.cluster;

import java.util.List;
import java.util.Objects;

/** The newest cluster events, oldest first, at most {@link #MAX} of them; {@code next} numbers the next one. */
public record HaEventLog(long next, List<HaEventRecord> events) {
    public static final int MAX = 1000;

    public HaEventLog {
        events = List.copyOf(Objects.requireNonNull(events, "events"));
    }

    public static HaEventLog empty() {
        return new HaEventLog(1, List.of());
    }

    HaEventLog append(List<HaEventRecord> more) {
        java.util.ArrayList<HaEventRecord> all = new java.util.ArrayList<>(events);
        long n = next;
        for (HaEventRecord e : more) {
            all.add(e.numbered(n++));
        }
        List<HaEventRecord> kept = all.size() > MAX ? all.subList(all.size() - MAX, all.size()) : all;
        return new HaEventLog(n, kept);
    }
}
