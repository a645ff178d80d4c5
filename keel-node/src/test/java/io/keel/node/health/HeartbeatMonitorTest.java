package io.keel.node.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class HeartbeatMonitorTest {
    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-11-22T10:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }
    }

    @Test
    void aNodeIsAliveUntilTheDetectionTimePassesWithoutHeartbeats() {
        ManualClock clock = new ManualClock();
        HeartbeatMonitor m = new HeartbeatMonitor(clock, "self");
        Duration detection = Duration.ofSeconds(10);
        m.heard("b");
        clock.advance(Duration.ofSeconds(10));
        assertThat(m.alive("b", detection)).isTrue();
        clock.advance(Duration.ofMillis(1));
        assertThat(m.alive("b", detection)).isFalse();
        m.heard("b");
        assertThat(m.alive("b", detection)).isTrue();
        assertThat(m.age("b")).contains(Duration.ZERO);
    }

    @Test
    void unheardNodesGetOneDetectionPeriodOfGraceAfterStart() {
        ManualClock clock = new ManualClock();
        HeartbeatMonitor m = new HeartbeatMonitor(clock, "self");
        Duration detection = Duration.ofSeconds(10);
        assertThat(m.alive("never", detection)).isTrue();
        assertThat(m.age("never")).isEmpty();
        clock.advance(detection);
        assertThat(m.alive("never", detection)).isFalse();
        assertThat(m.alive("self", detection)).isTrue();
    }

    @Test
    void aHeartbeatSaysWhetherTheNodesHaLocalManagerActsAndAnUnheardOrOlderNodeCountsAsActing() {
        HeartbeatMonitor m = new HeartbeatMonitor(new ManualClock(), "self");
        assertThat(m.haActing("b")).isTrue();
        m.heard("b", false);
        assertThat(m.haActing("b")).isFalse();
        assertThat(m.alive("b", Duration.ofSeconds(1))).isTrue();
        m.heard("b");
        assertThat(m.haActing("b")).isTrue();
    }
}
