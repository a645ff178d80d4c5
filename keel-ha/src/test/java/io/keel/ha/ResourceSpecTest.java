package io.keel.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ResourceSpecTest {
    private static ResourceSpec iscsi(Strategy strategy, String node, Set<String> allowed) {
        return new ResourceSpec("iscsi:v1", ResourceKind.ISCSI, Capacity.NONE, strategy, node, DesiredState.STARTED, 0,
                allowed);
    }

    @Test
    void theIscsiKindIsBuiltInUsesNoCapacityAndIsRelocated() {
        ResourceKinds kinds = ResourceKinds.builtIn();
        assertThat(kinds.ofId("iscsi:v1")).isEqualTo(ResourceKind.ISCSI);
        assertThat(kinds.names()).containsExactly("iscsi", "vip", "vm");
        assertThat(ResourceKind.ISCSI.usesCapacity()).isFalse();
        assertThat(ResourceKind.ISCSI.liveMigratable()).isFalse();
        assertThatThrownBy(() -> new ResourceSpec("iscsi:v1", ResourceKind.ISCSI, new Capacity(1, 1), Strategy.AUTO,
                null, DesiredState.STARTED, 0, Set.of())).hasMessageContaining("uses no capacity");
    }

    @Test
    void theSevenArgumentConstructorMeansAnyNode() {
        ResourceSpec spec = new ResourceSpec("vm:a", ResourceKind.VM, new Capacity(1024, 1), Strategy.FAILOVER,
                "node1", DesiredState.STARTED, 0);
        assertThat(spec.allowedNodes()).isEmpty();
        assertThat(spec.mayRunOn("node7")).isTrue();
        assertThat(spec.mayRunOn(null)).isFalse();
    }

    @Test
    void allowedNodesAreAnImmutableSortedCopy() {
        Set<String> given = new HashSet<>(List.of("node3", "node1"));
        ResourceSpec spec = iscsi(Strategy.AUTO, null, given);
        given.add("node2");
        assertThat(spec.allowedNodes()).containsExactly("node1", "node3");
        assertThatThrownBy(() -> spec.allowedNodes().add("node2")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(spec.mayRunOn("node1")).isTrue();
        assertThat(spec.mayRunOn("node2")).isFalse();
        assertThat(spec).isEqualTo(iscsi(Strategy.AUTO, null, Set.of("node1", "node3")));
    }

    @Test
    void aFailoverOrPinnedResourcesNodeMustBeAllowed() {
        assertThatThrownBy(() -> iscsi(Strategy.FAILOVER, "node2", Set.of("node1", "node3")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("iscsi:v1: a failover resource's node node2 must be one of its allowed nodes node1, node3");
        assertThatThrownBy(() -> iscsi(Strategy.PINNED, "node2", Set.of("node1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pinned");
        assertThat(iscsi(Strategy.PINNED, "node1", Set.of("node1")).node()).isEqualTo("node1");
        // An auto resource's node is only a hint, which placement passes over when not allowed.
        assertThat(iscsi(Strategy.AUTO, "node2", Set.of("node1")).mayRunOn("node2")).isFalse();
        assertThatThrownBy(() -> iscsi(Strategy.AUTO, null, null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void copiesKeepTheAllowedNodes() {
        ResourceSpec spec = iscsi(Strategy.FAILOVER, "node1", Set.of("node1", "node2"));
        assertThat(spec.withDesired(DesiredState.STOPPED).allowedNodes()).containsExactly("node1", "node2");
        assertThat(spec.started().allowedNodes()).containsExactly("node1", "node2");
        assertThat(spec.started().startRequest()).isEqualTo(1);
        assertThat(spec.withAllowedNodes(Set.of()).mayRunOn("node9")).isTrue();
        assertThatThrownBy(() -> spec.withAllowedNodes(Set.of("node2"))).isInstanceOf(IllegalArgumentException.class);
    }
}
