package io.keel.node.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.meta.cluster.ChunkRecord;
import io.keel.meta.cluster.ChunkReplica;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VolumeHealthTest {
    private static ChunkRecord chunk(long index, String... nodes) {
        return new ChunkRecord(index, "s", 1, java.util.Arrays.stream(nodes).map(n -> new ChunkReplica(n, "d")).toList());
    }

    @Test
    void everyCopyInItsMapAndOnALiveNodeIsHealthy() {
        VolumeHealth h = VolumeHealth.of(List.of(chunk(0, "a", "b"), chunk(1, "b", "c")), 2, n -> false);
        assertThat(h).isEqualTo(new VolumeHealth("healthy", null, 0));
    }

    @Test
    void aCopyOnADownNodeWaitsForTheGracePeriodWhileADroppedCopyIsRebuiltNow() {
        Set<String> down = Set.of("c");
        VolumeHealth waiting = VolumeHealth.of(List.of(chunk(0, "a", "b"), chunk(1, "b", "c")), 2, down::contains);
        assertThat(waiting.health()).isEqualTo("degraded");
        assertThat(waiting.degradedChunks()).isEqualTo(1);
        assertThat(waiting.reason()).isEqualTo("1 of 2 chunks have a replica on a node that is down (rebuilt"
                + " elsewhere only if the node is not back within the grace period)");

        VolumeHealth both = VolumeHealth.of(List.of(chunk(0, "a"), chunk(1, "b", "c"), chunk(2, "a", "b")), 2,
                down::contains);
        assertThat(both.degradedChunks()).isEqualTo(2);
        assertThat(both.reason()).startsWith("1 of 3 chunks have fewer than 2 replicas (a copy that missed a write")
                .contains("; 1 of 3 chunks have a replica on a node that is down");
    }

    @Test
    void aChunkWithNoLiveCopyMakesTheVolumeUnavailable() {
        VolumeHealth h = VolumeHealth.of(List.of(chunk(0, "c"), chunk(1, "a")), 2, "c"::equals);
        assertThat(h).isEqualTo(new VolumeHealth("unavailable", "1 of 2 chunks have no reachable replica", 2));
    }

    @Test
    void anErasureCodedChunkIsReadableWhileMFragmentsAreAndNamesFragments() {
        ChunkRecord stripe = chunk(0, "a", "b", "c", "d", "e");
        VolumeHealth twoDown = VolumeHealth.of(List.of(stripe), 5, 3, "fragment", java.util.Set.of("a", "b")::contains);
        assertThat(twoDown.health()).isEqualTo("degraded");
        assertThat(twoDown.reason()).isEqualTo("1 of 1 chunks have a fragment on a node that is down (rebuilt"
                + " elsewhere only if the node is not back within the grace period)");
        VolumeHealth threeDown = VolumeHealth.of(List.of(stripe), 5, 3, "fragment",
                java.util.Set.of("a", "b", "c")::contains);
        assertThat(threeDown.health()).isEqualTo("unavailable");
        assertThat(threeDown.reason()).isEqualTo("1 of 1 chunks have fewer than 3 reachable fragments");
        VolumeHealth dropped = VolumeHealth.of(List.of(chunk(0, "a", "b", "c", "d")), 5, 3, "fragment", n -> false);
        assertThat(dropped.reason()).startsWith("1 of 1 chunks have fewer than 5 fragments (a fragment that missed");
    }
}
