package io.keel.node.ha;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MajorityContactTest {
    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Instant START = NOW.minusSeconds(600);

    private static MajorityContact contact(Map<String, Instant> heard, Instant acked, boolean leases) {
        return new MajorityContact("a", () -> List.of("a", "b", "c"), id -> Optional.ofNullable(heard.get(id)), START,
                () -> Optional.ofNullable(acked), () -> leases, CLOCK);
    }

    @Test
    void theMajorityIsHeardWhenTheSecondFreshestMemberWasHeard() {
        // Self counts as heard now; of b and c the fresher one completes the majority.
        assertThat(contact(Map.of("b", NOW.minusSeconds(2), "c", NOW.minusSeconds(9)), null, false).last())
                .isEqualTo(NOW.minusSeconds(2));
        assertThat(contact(Map.of(), null, false).last()).isEqualTo(START);
    }

    @Test
    void whileHoldingLeasesTheLastAcknowledgedWriteCountsWhenItIsOlder() {
        Map<String, Instant> heard = Map.of("b", NOW.minusSeconds(1), "c", NOW.minusSeconds(1));
        // Heartbeats still arrive, but writes stopped being acknowledged 7 s ago (a one-way partition).
        assertThat(contact(heard, NOW.minusSeconds(7), true).last()).isEqualTo(NOW.minusSeconds(7));
        assertThat(contact(heard, NOW.minusSeconds(7), false).last()).isEqualTo(NOW.minusSeconds(1));
        assertThat(contact(heard, null, true).last()).isEqualTo(START);
    }
}
