package io.keel.meta.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.meta.cluster.ChangedChunks.Extent;
import io.keel.meta.cluster.ClusterCommand.AcquireLease;
import io.keel.meta.cluster.ClusterCommand.AllocateChunk;
import io.keel.meta.cluster.ClusterCommand.CopyChunk;
import io.keel.meta.cluster.ClusterCommand.CreateSnapshot;
import io.keel.meta.cluster.ClusterCommand.CreateVolume;
import io.keel.meta.cluster.ClusterCommand.DeleteSnapshot;
import io.keel.meta.cluster.ClusterCommand.ExtendVolume;
import io.keel.meta.cluster.ClusterCommand.ReleaseLease;
import io.keel.meta.cluster.ClusterCommand.RevertVolume;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ChangedChunksTest {
    private static final long C = 64L << 20;
    private static final List<ChunkReplica> R = List.of(new ChunkReplica("n1", "d2"));
    private static final Instant AT = Fixtures.T0.plusSeconds(600);

    @Test
    void fromNothingListsWhatIsAllocatedMergedAndInOrder() {
        Harness h = SnapshotCommandsTest.cluster();
        long e = open(h);
        h.applied(new AllocateChunk("v1", 1, e, R));
        h.applied(new AllocateChunk("v1", 15, e, R));
        assertThat(ChangedChunks.between(h.state(), null, "v1"))
                .containsExactly(new Extent(0, 3 * C), new Extent(15 * C, C));
    }

    @Test
    void betweenSnapshotsAndTheVolumeOnlyWrittenChunksShow() {
        Harness h = SnapshotCommandsTest.cluster();
        h.applied(new CreateSnapshot("v1", "s1", "one", 0, AT));
        long e = open(h);
        h.applied(new CopyChunk("v1", 2, e, "v1-0", R));
        h.applied(new AllocateChunk("v1", 3, e, R));
        h.applied(new CreateSnapshot("v1", "s2", "two", e, AT.plusSeconds(1)));
        h.applied(new AllocateChunk("v1", 7, e, R));
        assertThat(ChangedChunks.between(h.state(), "s1", "s1")).isEmpty();
        assertThat(ChangedChunks.between(h.state(), "s1", "s2")).containsExactly(new Extent(2 * C, 2 * C));
        assertThat(ChangedChunks.between(h.state(), "s2", "v1")).containsExactly(new Extent(7 * C, C));
        assertThat(ChangedChunks.between(h.state(), "s1", "v1"))
                .containsExactly(new Extent(2 * C, 2 * C), new Extent(7 * C, C));
        // Backwards works too: what to restore to get from the volume back to s1.
        assertThat(ChangedChunks.between(h.state(), "s2", "s1")).containsExactly(new Extent(2 * C, 2 * C));
    }

    @Test
    void rangesAreClippedToTheSizeOfTheTarget() {
        Harness h = SnapshotCommandsTest.cluster();
        h.applied(new ExtendVolume("v1", 2 * (1L << 30) - 4096));
        long e = open(h);
        h.applied(new AllocateChunk("v1", 31, e, R));
        h.applied(new CreateSnapshot("v1", "big", "big", e, AT.plusSeconds(1)));
        assertThat(ChangedChunks.between(h.state(), null, "big")).containsExactly(new Extent(0, C),
                new Extent(2 * C, C), new Extent(31 * C, C - 4096));
        assertThat(ChangedChunks.between(h.state(), "big", "v1")).isEmpty();
    }

    @Test
    void revertShrinksAndTheDiffFollows() {
        Harness h = SnapshotCommandsTest.cluster();
        h.applied(new CreateSnapshot("v1", "s1", "one", 0, AT));
        h.applied(new ExtendVolume("v1", 2L << 30));
        long e = open(h);
        h.applied(new AllocateChunk("v1", 20, e, R));
        h.applied(new CreateSnapshot("v1", "s2", "two", e, AT.plusSeconds(1)));
        h.applied(new ReleaseLease("v1", e));
        h.applied(new RevertVolume("v1", "s1", AT.plusSeconds(2)));
        assertThat(ChangedChunks.between(h.state(), "s1", "v1")).isEmpty();
        // From s2 to the reverted volume: chunk 20 is gone but lies beyond the volume's end now.
        assertThat(ChangedChunks.between(h.state(), "s2", "v1")).isEmpty();
        assertThat(ChangedChunks.between(h.state(), "s1", "s2")).containsExactly(new Extent(20 * C, C));
    }

    @Test
    void bothMustBelongToOneVolume() {
        Harness h = SnapshotCommandsTest.cluster();
        h.applied(new CreateSnapshot("v1", "s1", "one", 0, AT));
        h.applied(new CreateVolume("v2", "disk-2", 1L << 30, 64 << 20, "single", AT));
        h.applied(new CreateSnapshot("v2", "s2", "two", 0, AT));
        assertThatThrownBy(() -> ChangedChunks.between(h.state(), "s2", "v1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a snapshot of the volume");
        assertThatThrownBy(() -> ChangedChunks.between(h.state(), "v1", "s1"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChangedChunks.between(h.state(), "nope", "v1"))
                .isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(() -> ChangedChunks.between(h.state(), null, "nope"))
                .isInstanceOf(NoSuchElementException.class);
    }

    /**
     * Random writes, snapshots, reverts and snapshot deletions against a model that gives every
     * chunk write a fresh token: two points of the lineage differ at an index exactly when their
     * tokens there differ.
     */
    @Test
    void randomHistoriesReportExactlyTheChunksWhoseContentMayDiffer() {
        for (long seed = 1; seed <= 5; seed++) {
            Harness h = SnapshotCommandsTest.cluster();
            Random rnd = new Random(seed);
            Map<String, Map<Long, Integer>> tokens = new HashMap<>();
            Map<Long, Integer> volume = new HashMap<>();
            // The fixture wrote chunks 0 and 2.
            volume.put(0L, 1);
            volume.put(2L, 2);
            int token = 3;
            Instant at = AT;
            long epoch = 0;
            for (int op = 0; op < 120; op++) {
                at = at.plusSeconds(1);
                int kind = rnd.nextInt(10);
                if (kind < 6) {
                    if (epoch == 0) {
                        epoch = Long.parseLong(h.applied(new AcquireLease("v1", "a", false, at, 30_000)));
                    }
                    long index = rnd.nextInt(16);
                    ChunkRecord r = h.state().chunk("v1", index).orElse(null);
                    String own = h.state().volume("v1").orElseThrow().storageId();
                    if (r == null) {
                        h.applied(new AllocateChunk("v1", index, epoch, R));
                    } else if (!r.storageId().equals(own)) {
                        h.applied(new CopyChunk("v1", index, epoch, r.storageId(), R));
                    }
                    volume.put(index, token++);
                } else if (kind < 8 || tokens.isEmpty()) {
                    String id = "s" + op;
                    h.applied(new CreateSnapshot("v1", id, id, epoch, at));
                    tokens.put(id, new HashMap<>(volume));
                } else if (kind < 9) {
                    if (epoch != 0) {
                        h.applied(new ReleaseLease("v1", epoch));
                        epoch = 0;
                    }
                    String id = pick(rnd, tokens);
                    h.applied(new RevertVolume("v1", id, at));
                    volume = new HashMap<>(tokens.get(id));
                } else {
                    String id = pick(rnd, tokens);
                    h.applied(new DeleteSnapshot(id));
                    tokens.remove(id);
                }
            }
            tokens.put("v1", volume);
            for (String from : tokens.keySet()) {
                for (String to : tokens.keySet()) {
                    if (from.equals("v1")) {
                        continue;
                    }
                    Map<Long, Integer> a = tokens.get(from);
                    Map<Long, Integer> b = tokens.get(to);
                    List<Extent> expected = new ArrayList<>();
                    for (long i = 0; i < 16; i++) {
                        if (!Objects.equals(a.get(i), b.get(i))) {
                            Extent last = expected.isEmpty() ? null : expected.getLast();
                            if (last != null && last.offset() + last.length() == i * C) {
                                expected.set(expected.size() - 1, new Extent(last.offset(), last.length() + C));
                            } else {
                                expected.add(new Extent(i * C, C));
                            }
                        }
                    }
                    assertThat(ChangedChunks.between(h.state(), from, to)).as("seed %d, %s to %s", seed, from, to)
                            .isEqualTo(expected);
                }
            }
        }
    }

    private static String pick(Random rnd, Map<String, ?> snapshots) {
        List<String> ids = new ArrayList<>(new TreeSet<>(snapshots.keySet()));
        return ids.get(rnd.nextInt(ids.size()));
    }

    private static long open(Harness h) {
        return Long.parseLong(h.applied(new AcquireLease("v1", "a", false, AT, 30_000)));
    }
}
