package io.keel.node.ha;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.meta.cluster.ClusterCommand;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AsyncCommandsTest {
    @Test
    void aWriteUnderWayIsNotStartedAgainAndTheCallerNeverWaits() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        AtomicInteger writes = new AtomicInteger();
        AsyncCommands async = new AsyncCommands(c -> {
            writes.incrementAndGet();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, AsyncCommands::defaultKey);
        ClusterCommand first = new ClusterCommand.StartVmMigration("vm1", "ha-7", "n2", Instant.EPOCH);
        ClusterCommand again = new ClusterCommand.StartVmMigration("vm1", "ha-7", "n2", Instant.EPOCH.plusSeconds(1));
        assertThat(async.run(first, done::countDown, e -> { })).isTrue();
        assertThat(async.run(again, () -> { }, e -> { })).isFalse();
        release.countDown();
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(writes.get()).isEqualTo(1);
    }

    @Test
    void aFailedWriteIsHandedToTheFailureCallback() throws Exception {
        CountDownLatch failed = new CountDownLatch(1);
        AsyncCommands async = new AsyncCommands(c -> {
            throw new IllegalStateException("quorum lost");
        }, AsyncCommands::defaultKey);
        async.run(new ClusterCommand.PlaceHaVm("vm1", "n1", 3), () -> { }, e -> failed.countDown());
        assertThat(failed.await(5, TimeUnit.SECONDS)).isTrue();
    }
}
