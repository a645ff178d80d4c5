package io.keel.node.ha;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ReplicaCatchUpTest {
    private final AtomicLong local = new AtomicLong(7);
    private final AtomicLong leader = new AtomicLong(7);
    private final List<Runnable> asked = new ArrayList<>();
    private final ReplicaCatchUp catchUp = new ReplicaCatchUp(local::get, leader::get, asked::add);

    private void answer() {
        asked.removeFirst().run();
    }

    @Test
    void atStartNothingCountsUntilTheLeaderWasAskedAndTheReplicaHasItsVersion() {
        assertThat(catchUp.caughtUp(true)).isFalse();
        assertThat(catchUp.caughtUp(true)).as("asked once, not at every step").isFalse();
        assertThat(asked).hasSize(1);
        answer();
        assertThat(catchUp.caughtUp(true)).isTrue();
        assertThat(asked).isEmpty();
    }

    @Test
    void backFromAPartitionTheLaggingReplicaIsNotActedOnUntilItCaughtUp() {
        catchUp.caughtUp(true);
        answer();
        assertThat(catchUp.caughtUp(true)).isTrue();

        assertThat(catchUp.caughtUp(false)).isFalse();
        // Meanwhile the majority moved this node's VMs: two status saves it has not applied.
        leader.set(9);
        assertThat(catchUp.caughtUp(true)).as("heartbeats back, replica still at 7").isFalse();
        answer();
        assertThat(catchUp.caughtUp(true)).isFalse();
        local.set(8);
        assertThat(catchUp.caughtUp(true)).isFalse();
        local.set(9);
        assertThat(catchUp.caughtUp(true)).isTrue();
    }

    @Test
    void aLeaderThatCannotBeReadIsAskedAgain() {
        ReplicaCatchUp failing = new ReplicaCatchUp(local::get, () -> {
            throw new IllegalStateException("no leader");
        }, asked::add);
        assertThat(failing.caughtUp(true)).isFalse();
        answer();
        assertThat(failing.caughtUp(true)).isFalse();
        assertThat(asked).hasSize(1);
    }

    @Test
    void cutOffAgainBeforeTheAnswerTheOldAnswerDoesNotCount() {
        catchUp.caughtUp(true);
        catchUp.caughtUp(false);
        leader.set(12);
        answer();
        assertThat(catchUp.caughtUp(true)).isFalse();
    }
}
