package io.keel.meta.cluster;

import static io.keel.meta.cluster.RejectionCodes.CONFLICT;
import static io.keel.meta.cluster.RejectionCodes.INVALID;
import static io.keel.meta.cluster.RejectionCodes.NOT_FOUND;
import static io.keel.meta.cluster.RejectionCodes.NOT_INITIALISED;
import static org.assertj.core.api.Assertions.assertThat;

import io.keel.meta.cluster.ClusterCommand.AddComputeNode;
import io.keel.meta.cluster.ClusterCommand.CreateComputeCluster;
import io.keel.meta.cluster.ClusterCommand.CreateFlavor;
import io.keel.meta.cluster.ClusterCommand.DeleteComputeCluster;
import io.keel.meta.cluster.ClusterCommand.RemoveComputeNode;
import io.keel.meta.cluster.ClusterCommand.SetMaintenance;
import java.util.List;
import org.junit.jupiter.api.Test;

class ComputeCommandsTest {
    private static final java.time.Instant AT = Fixtures.T0.plusSeconds(7200);

    private static CreateComputeCluster create(String... nodeIds) {
        return new CreateComputeCluster(List.of(nodeIds), AT, Flavor.DEFAULTS);
    }

    /** Nodes n1..n4, of which n1..n3 form the storage cluster. */
    private static Harness storage() {
        return Harness.withStorageCluster(4, 3);
    }

    @Test
    void createStoresTheNodesSortedAndInstallsTheDefaultFlavors() {
        Harness h = storage();
        assertThat(h.applied(create("n2", "n1"))).isEqualTo("compute");
        assertThat(h.state().computeCluster()).contains(new ComputeCluster(AT, List.of("n1", "n2")));
        assertThat(h.state().computeNodes()).extracting(NodeRecord::name).containsExactly("node1", "node2");
        assertThat(h.state().flavors()).extracting(Flavor::name)
                .containsExactly("large", "medium", "small", "tiny", "xlarge");
        assertThat(h.state().flavor("small")).contains(new Flavor("small", 1, 2048));
    }

    @Test
    void defaultsNeverOverwriteAnAdministratorsFlavor() {
        Harness h = storage();
        h.applied(new CreateFlavor(new Flavor("small", 2, 1024)));
        h.applied(create("n1"));
        assertThat(h.state().flavor("small")).contains(new Flavor("small", 2, 1024));
        assertThat(h.state().flavors()).hasSize(5);
    }

    @Test
    void createWithoutDefaultsInstallsNone() {
        Harness h = storage();
        h.applied(new CreateComputeCluster(List.of("n1"), AT, null));
        assertThat(h.state().flavors()).isEmpty();
    }

    @Test
    void badNodeListsAreRefusedWritingNothing() {
        Harness h = storage();
        assertThat(h.rejected(create(), INVALID)).contains("at least one node");
        assertThat(h.rejected(new CreateComputeCluster(null, AT, null), INVALID)).contains("at least one node");
        assertThat(h.rejected(create("n1", "n9", "n8"), NOT_FOUND)).isEqualTo("node(s) \"n8\", \"n9\" do not exist");
        assertThat(h.rejected(create("n1", "n2", "n1"), INVALID)).isEqualTo("node(s) \"n1\" are listed more than once");
        assertThat(h.rejected(create("n1", "n4"), INVALID))
                .isEqualTo("node \"node4\" (id \"n4\") is not in the storage cluster: VM disks are served by the local"
                        + " node, so join it to the storage cluster first");
        h.applied(new SetMaintenance("n3", true));
        assertThat(h.rejected(create("n3"), INVALID)).contains("node \"node3\" (id \"n3\") is in maintenance");
        assertThat(h.rejected(new CreateComputeCluster(List.of("n1"), null, null), INVALID))
                .isEqualTo("creation time is required");
    }

    @Test
    void badDefaultFlavorsAreRefused() {
        Harness h = storage();
        assertThat(h.rejected(new CreateComputeCluster(List.of("n1"), AT, List.of(new Flavor("t", 0, 512))), INVALID))
                .contains("vCPUs must be 1-256");
        assertThat(h.rejected(new CreateComputeCluster(List.of("n1"), AT,
                List.of(new Flavor("t", 1, 512), new Flavor("t", 2, 512))), INVALID))
                .isEqualTo("default flavor \"t\" is given more than once");
    }

    @Test
    void aSecondCreateIsAConflictNamingTheNodes() {
        Harness h = storage();
        h.applied(create("n1", "n2"));
        assertThat(h.rejected(create("n3"), CONFLICT))
                .isEqualTo("a compute cluster already exists (nodes node1, node2): add nodes to it instead of"
                        + " creating another");
    }

    @Test
    void needsAnInitialisedCluster() {
        assertThat(new Harness().rejected(create("n1"), NOT_INITIALISED)).contains("not initialised");
    }

    @Test
    void addNodeChecksLikeCreate() {
        Harness h = storage();
        assertThat(h.rejected(new AddComputeNode("n2"), NOT_FOUND)).isEqualTo("there is no compute cluster: create it first");
        h.applied(create("n1"));
        assertThat(h.applied(new AddComputeNode("n3"))).isEqualTo("n3");
        assertThat(h.state().computeCluster().orElseThrow().nodeIds()).containsExactly("n1", "n3");
        assertThat(h.rejected(new AddComputeNode("n3"), CONFLICT)).contains("already in the compute cluster");
        assertThat(h.rejected(new AddComputeNode("n4"), INVALID)).contains("is not in the storage cluster");
        assertThat(h.rejected(new AddComputeNode("n9"), NOT_FOUND)).isEqualTo("node \"n9\" does not exist");
        assertThat(h.rejected(new AddComputeNode(null), INVALID)).isEqualTo("node id is required");
        h.applied(new SetMaintenance("n2", true));
        assertThat(h.rejected(new AddComputeNode("n2"), INVALID)).contains("is in maintenance");
    }

    @Test
    void removeNodeKeepsTheLastOne() {
        Harness h = storage();
        h.applied(create("n1", "n2"));
        assertThat(h.rejected(new RemoveComputeNode("n3"), NOT_FOUND)).contains("is not in the compute cluster");
        assertThat(h.applied(new RemoveComputeNode("n2"))).isEqualTo("n2");
        assertThat(h.state().computeCluster().orElseThrow().nodeIds()).containsExactly("n1");
        assertThat(h.state().computeCluster().orElseThrow().createdAt()).isEqualTo(AT);
        assertThat(h.rejected(new RemoveComputeNode("n1"), CONFLICT))
                .isEqualTo("node \"node1\" (id \"n1\") is the compute cluster's last node: delete the compute cluster"
                        + " instead");
    }

    @Test
    void deleteRemovesTheClusterAndKeepsTheFlavors() {
        Harness h = storage();
        assertThat(h.rejected(new DeleteComputeCluster(), NOT_FOUND)).contains("there is no compute cluster");
        h.applied(create("n1", "n2"));
        assertThat(h.applied(new DeleteComputeCluster())).isEqualTo("compute");
        assertThat(h.state().computeCluster()).isEmpty();
        assertThat(h.state().computeNodes()).isEmpty();
        assertThat(h.state().flavors()).hasSize(5);
        h.applied(create("n3"));
        assertThat(h.state().computeCluster().orElseThrow().nodeIds()).containsExactly("n3");
    }
}
