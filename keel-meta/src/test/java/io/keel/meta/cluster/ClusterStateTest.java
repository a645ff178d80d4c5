package io.keel.meta.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.meta.cluster.ClusterCommand.RegisterNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterStateTest {
    @Test
    void emptyStoreHasNothing() {
        ClusterState s = new ClusterState(new MemoryKv());
        assertThat(s.initialised()).isFalse();
        assertThat(s.cluster()).isEmpty();
        assertThat(s.secrets()).isEmpty();
        assertThat(s.joinToken()).isEmpty();
        assertThat(s.nodes()).isEmpty();
        assertThat(s.locations()).isEmpty();
        assertThat(s.metadataNodes()).isEmpty();
    }

    @Test
    void nodesSortByNameAndResolveByIdOrName() {
        Harness h = Harness.withNodes(1);
        h.applied(new RegisterNode(Fixtures.TOKEN1, Fixtures.T0, Fixtures.node("zz", "alpha", "10.0.0.8", 1, 2)));
        h.applied(new RegisterNode(Fixtures.TOKEN1, Fixtures.T0, Fixtures.node("aa", "omega", "10.0.0.9", 1, 2)));
        ClusterState s = h.state();
        assertThat(s.nodes()).extracting(NodeRecord::name).containsExactly("alpha", "node1", "omega");
        assertThat(s.nodeByIdOrName("zz")).map(NodeRecord::name).contains("alpha");
        assertThat(s.nodeByIdOrName("OMEGA")).map(NodeRecord::id).contains("aa");
        assertThat(s.nodeByIdOrName("nobody")).isEmpty();
        assertThat(s.node("alpha")).isEmpty();
    }

    /** Metadata members in the order they joined; ids break ties between equal times. */
    @Test
    void metadataNodesSortByJoinTimeThenId() {
        Harness h = Harness.withNodes(1);
        h.applied(new RegisterNode(Fixtures.TOKEN1, Fixtures.T0.plusSeconds(50), Fixtures.node("b", "bee", "h", 1, 2)));
        h.applied(new RegisterNode(Fixtures.TOKEN1, Fixtures.T0.plusSeconds(50), Fixtures.node("a", "ay", "h", 3, 4)));
        h.applied(new RegisterNode(Fixtures.TOKEN1, Fixtures.T0.plusSeconds(10), Fixtures.node("c", "cee", "h", 5, 6)));
        h.applied(new ClusterCommand.CreateStorageCluster("s", Fixtures.T0, false, java.util.List.of("n1", "a", "b", "c"),
                Map.of("a", Map.of("d1", DiskRole.METADATA), "b", Map.of("d1", DiskRole.METADATA),
                        "c", Map.of("d1", DiskRole.METADATA))));
        assertThat(h.state().metadataNodes()).extracting(NodeRecord::id).containsExactly("c", "a", "b");
    }

    @Test
    void corruptValuesNameTheirKey() {
        MemoryKv kv = new MemoryKv();
        kv.putRaw("node/x", "{not json");
        assertThatThrownBy(() -> new ClusterState(kv).nodes())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("stored value at key 'node/x' is corrupt: malformed NodeRecord");
    }

    @Test
    void prefixesDoNotLeakIntoEachOther() {
        MemoryKv kv = new MemoryKv();
        ClusterCodec codec = new ClusterCodec();
        kv.put("nodes", new byte[] {1});
        kv.put("node/n1", codec.write(Fixtures.node(1)));
        kv.put("locations", new byte[] {1});
        assertThat(new ClusterState(kv, codec).nodes()).hasSize(1);
        assertThat(new ClusterState(kv, codec).locations()).isEmpty();
    }
}
