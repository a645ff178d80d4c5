package io.keel.meta.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.meta.cluster.ChangedChunks.Extent;
import io.keel.meta.cluster.ClusterCommand.AcquireLease;
import io.keel.meta.cluster.ClusterCommand.AllocateChunk;
import io.keel.meta.cluster.ClusterCommand.CopyChunk;
import io.keel.meta.cluster.ClusterCommand.CreateSnapshot;
import io.keel.meta.cluster.ClusterCommand.CreateVolume;
import io.keel.meta.cluster.ClusterCommand.ExtendVolume;
import io.keel.meta.cluster.ClusterCommand.ReleaseLease;
import io.keel.meta.cluster.ClusterCommand.RevertVolume;
import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;
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

    private static long open(Harness h) {
        return Long.parseLong(h.applied(new AcquireLease("v1", "a", false, AT, 30_000)));
    }
}
