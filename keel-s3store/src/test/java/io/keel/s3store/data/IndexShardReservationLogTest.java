package io.keel.s3store.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IndexShardReservationLogTest {
    private final InMemoryIndexShard shard = new InMemoryIndexShard();
    private final IndexShardReservationLog log = new IndexShardReservationLog(shard);

    @Test
    void aVolumeNeverReservedHasMarkZero() throws IOException {
        assertThat(log.highWater("v1")).isZero();
    }

    @Test
    void reservationsRaiseTheMarkFromTheExpectedValueOnly() throws Exception {
        assertThat(log.reserve("v1", 0, 1000)).isEqualTo(1000);
        assertThat(log.reserve("v1", 1000, 5000)).isEqualTo(5000);
        assertThat(log.highWater("v1")).isEqualTo(5000);
        assertThat(shard.get("a/v1")).hasValueSatisfying(b -> assertThat(b).hasSize(8));

        // A writer that still believes the mark is 1000 (or that nothing was reserved) is told the truth.
        assertThat(log.reserve("v1", 1000, 9000)).isEqualTo(5000);
        assertThat(log.reserve("v1", 0, 9000)).isEqualTo(5000);
        assertThat(log.highWater("v1")).isEqualTo(5000);
        assertThat(log.highWater("v2")).isZero();
    }

    @Test
    void retryingAReservationWhoseAnswerWasLostReadsAsDone() throws IOException {
        log.reserve("v1", 0, 100);
        shard.loseNextAnswer();
        assertThatThrownBy(() -> log.reserve("v1", 100, 200)).isInstanceOf(IOException.class)
                .hasMessageContaining("idx-test");
        assertThat(log.reserve("v1", 100, 200)).isEqualTo(200);
    }

    @Test
    void aReservationMustRaiseTheMark() {
        assertThatThrownBy(() -> log.reserve("v1", 10, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> log.reserve("v1", -1, 10)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void activeVolumeIsSwitchedByCompareAndSet() throws IOException {
        assertThat(log.activeVolume("gw1")).isEmpty();
        assertThat(log.activate("gw1", "other", "vol-a")).isFalse();
        assertThat(log.activate("gw1", null, "vol-a")).isTrue();
        assertThat(log.activate("gw1", null, "vol-x")).isFalse();
        assertThat(log.activate("gw1", "vol-a", "vol-b")).isTrue();
        assertThat(log.activate("gw1", "vol-a", "vol-c")).isFalse();
        assertThat(log.activeVolume("gw1")).isEqualTo(Optional.of("vol-b"));
        assertThat(log.activeVolume("gw2")).isEmpty();
    }

    @Test
    void anUnavailableShardIsAnIOException() {
        shard.unavailable(true);
        assertThatThrownBy(() -> log.highWater("v1")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> log.reserve("v1", 0, 1)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> log.activeVolume("gw")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> log.activate("gw", null, "v")).isInstanceOf(IOException.class);
    }
}
