package io.keel.node.ha;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * When this node last certainly reached the metadata majority, the clock its self-fence runs on
 * (ADR 0029). Two witnesses, and the earlier one counts:
 * <ul>
 *   <li>heartbeats: the time by which a majority of the metadata members (this node included) had
 *       been heard from;</li>
 *   <li>while the node holds volume write leases: the send time of its last metadata write that a
 *       majority acknowledged. Lease renewals are such writes, so the leases last at least
 *       {@code leaseTtl} past this instant, and a self-fence timed from it lands before they
 *       expire even when heartbeats still arrive over a one-way partition.</li>
 * </ul>
 */
public final class MajorityContact {
    private final String selfId;
    private final Supplier<List<String>> members;
    private final Function<String, Optional<Instant>> lastHeard;
    private final Instant startedAt;
    private final Supplier<Optional<Instant>> lastAckedWrite;
    private final BooleanSupplier holdsLeases;
    private final Clock clock;

    public MajorityContact(String selfId, Supplier<List<String>> members, Function<String, Optional<Instant>> lastHeard,
            Instant startedAt, Supplier<Optional<Instant>> lastAckedWrite, BooleanSupplier holdsLeases, Clock clock) {
        this.selfId = Objects.requireNonNull(selfId, "selfId");
        this.members = Objects.requireNonNull(members, "members");
        this.lastHeard = Objects.requireNonNull(lastHeard, "lastHeard");
        this.startedAt = Objects.requireNonNull(startedAt, "startedAt");
        this.lastAckedWrite = Objects.requireNonNull(lastAckedWrite, "lastAckedWrite");
        this.holdsLeases = Objects.requireNonNull(holdsLeases, "holdsLeases");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Instant last() {
        Instant now = clock.instant();
        List<String> ids = members.get();
        Instant byHeartbeats = now;
        if (!ids.isEmpty()) {
            List<Instant> heard = new ArrayList<>();
            for (String id : ids) {
                // Never heard since this process started: as of the start, like the quorum check's grace.
                heard.add(id.equals(selfId) ? now : lastHeard.apply(id).orElse(startedAt));
            }
            heard.sort(Comparator.reverseOrder());
            byHeartbeats = heard.get(ids.size() / 2);
        }
        if (!holdsLeases.getAsBoolean()) {
            return byHeartbeats;
        }
        Instant acked = lastAckedWrite.get().orElse(startedAt);
        return acked.isBefore(byHeartbeats) ? acked : byHeartbeats;
    }
}
