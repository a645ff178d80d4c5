package io.keel.meta.shard;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The committer against a stand-in for the Raft call that answers as {@link ShardLogic} would
 * (the real path runs in {@link ShardThreeMemberTest}): who goes alone, who is grouped, and that
 * every caller gets its own answer or the group's failure.
 */
class GroupCommitterTest {
    private static byte[] batch(String key, boolean conflicting) {
        List<ShardBatch.Condition> conditions = conflicting ? List.of(new ShardBatch.Equals(key, new byte[] {9}))
                : List.of();
        return ShardCodec.encode(new ShardBatch(conditions, List.of(new ShardBatch.Put(key, key.getBytes(UTF_8)))));
    }

    /** Answers each member Applied, or Conflict(0) when it carries a condition; records what was sent. */
    private static final class Answering implements GroupCommitter.Submitter {
        final List<Integer> sizes = new CopyOnWriteArrayList<>();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release;

        Answering(CountDownLatch release) {
            this.release = release;
        }

        @Override
        public byte[] submit(byte[] command) {
            entered.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            List<byte[]> members = ShardGroupCodec.isGroup(command) ? ShardGroupCodec.decode(command) : List.of(command);
            sizes.add(members.size());
            List<byte[]> outcomes = new ArrayList<>();
            for (byte[] m : members) {
                ShardBatch b = ShardCodec.decode(m);
                outcomes.add(ShardCodec.encodeOutcome(b.conditions().isEmpty() ? new ShardOutcome.Applied()
                        : new ShardOutcome.Conflict(0)));
            }
            return members.size() == 1 ? outcomes.getFirst() : ShardGroupCodec.encodeOutcomes(outcomes);
        }
    }

    @Test
    void aLoneCommitGoesAloneAndCommitsQueuedBehindBusySendersAreGrouped() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Answering raft = new Answering(release);
        try (GroupCommitter committer = new GroupCommitter("t", 1, raft);
                ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<ShardOutcome> first = callers.submit(() -> committer.commit(batch("k0", false)));
            assertThat(raft.entered.await(10, TimeUnit.SECONDS)).isTrue();
            // The one sender is held in the first call: everything after it queues.
            List<Future<ShardOutcome>> later = new ArrayList<>();
            for (int i = 1; i <= 20; i++) {
                boolean conflicting = i % 5 == 0;
                String key = "k" + i;
                later.add(callers.submit(() -> committer.commit(batch(key, conflicting))));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (committer.queued() < 20 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(committer.queued()).isEqualTo(20);
            release.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(new ShardOutcome.Applied());
            for (int i = 1; i <= 20; i++) {
                assertThat(later.get(i - 1).get(10, TimeUnit.SECONDS)).as("member %d", i)
                        .isEqualTo(i % 5 == 0 ? new ShardOutcome.Conflict(0) : new ShardOutcome.Applied());
            }
        }
        assertThat(raft.sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(21);
        assertThat(raft.sizes).containsExactly(1, 20);
    }

    @Test
    void aFailedGroupFailsEveryMemberWithAnUnknownOutcome() throws Exception {
        GroupCommitter.Submitter down = command -> {
            throw new ShardUnavailableException("no leader with a quorum");
        };
        try (GroupCommitter committer = new GroupCommitter("t", 2, down)) {
            assertThatThrownBy(() -> committer.commit(batch("a", false)))
                    .isInstanceOf(ShardUnavailableException.class).hasMessageContaining("no leader");
        }
    }

    @Test
    void aClosedCommitterRefusesNewWork() {
        GroupCommitter committer = new GroupCommitter("t", 2, command -> ShardCodec.encodeOutcome(
                new ShardOutcome.Applied()));
        committer.close();
        assertThatThrownBy(() -> committer.commit(batch("a", false))).hasMessageContaining("closed");
    }
}
