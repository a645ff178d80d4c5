package io.keel.meta.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.meta.cluster.ChunkReferences.Reference;
import io.keel.meta.cluster.ClusterCommand.AcquireLease;
import io.keel.meta.cluster.ClusterCommand.CloneVolume;
import io.keel.meta.cluster.ClusterCommand.CopyChunk;
import io.keel.meta.cluster.ClusterCommand.CreateSnapshot;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkReferencesTest {
    @Test
    void everyMapCountsAndSharedCopiesAppearOnce() {
        Harness h = SnapshotCommandsTest.cluster();
        assertThat(ChunkReferences.of(h.state())).containsExactlyInAnyOrder(
                new Reference("v1-0", 0, "n1", "d2"), new Reference("v1-0", 2, "n2", "d2"));
        h.applied(new CreateSnapshot("v1", "s1", "monday", 0, Fixtures.T0.plusSeconds(600)));
        h.applied(new CloneVolume("s1", "c1", "copy", null, Fixtures.T0.plusSeconds(600)));
        long e = Long.parseLong(h.applied(new AcquireLease("v1", "a", false, Fixtures.T0.plusSeconds(600), 30_000)));
        h.applied(new CopyChunk("v1", 0, e, "v1-0", List.of(new ChunkReplica("n3", "d2"))));
        // The volume's new copy and the old one, which the snapshot and the clone still need.
        assertThat(ChunkReferences.of(h.state())).containsExactlyInAnyOrder(
                new Reference("v1-0", 0, "n1", "d2"), new Reference("v1-0", 2, "n2", "d2"),
                new Reference("v1-1", 0, "n3", "d2"));
    }
}
