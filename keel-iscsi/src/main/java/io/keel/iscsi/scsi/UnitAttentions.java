package io.keel.iscsi.scsi;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Unit attention conditions held for the I_T nexuses (initiator ports) that have used a LUN or a
 * target. Each nexus reports its conditions one per command, oldest first (SAM-5 5.14); the same
 * condition is not queued twice, and a nexus keeps at most {@link #MAX_PER_NEXUS}.
 */
final class UnitAttentions {
    static final int MAX_PER_NEXUS = 8;

    private final Map<String, Deque<Sense>> pending = new ConcurrentHashMap<>();

    /** Remembers {@code initiatorPort} as a nexus that later conditions reach. */
    void seen(String initiatorPort) {
        pending.computeIfAbsent(initiatorPort, k -> new ArrayDeque<>());
    }

    /** Raises {@code ua} on every nexus seen so far. */
    void raiseAll(Sense ua) {
        for (String n : pending.keySet()) {
            raise(n, ua);
        }
    }

    void raise(String initiatorPort, Sense ua) {
        pending.compute(initiatorPort, (k, q) -> {
            Deque<Sense> d = q == null ? new ArrayDeque<>() : q;
            if (!d.contains(ua)) {
                if (d.size() == MAX_PER_NEXUS) {
                    d.removeFirst(); // the oldest goes: the newest state is what the initiator must learn
                }
                d.addLast(ua);
            }
            return d;
        });
    }

    Optional<Sense> take(String initiatorPort) {
        Sense[] out = new Sense[1];
        pending.computeIfPresent(initiatorPort, (k, d) -> {
            out[0] = d.pollFirst();
            return d;
        });
        return Optional.ofNullable(out[0]);
    }

    /** Drops one condition wherever it is pending (REPORT LUNS clears REPORTED LUNS DATA HAS CHANGED). */
    void clear(String initiatorPort, Sense ua) {
        pending.computeIfPresent(initiatorPort, (k, d) -> {
            d.remove(ua);
            return d;
        });
    }
}
