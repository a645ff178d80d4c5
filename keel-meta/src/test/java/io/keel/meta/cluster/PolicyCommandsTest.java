package io.keel.meta.cluster;

import static io.keel.meta.cluster.RejectionCodes.CONFLICT;
import static io.keel.meta.cluster.RejectionCodes.INVALID;
import static io.keel.meta.cluster.RejectionCodes.NOT_FOUND;
import static org.assertj.core.api.Assertions.assertThat;

import io.keel.meta.cluster.ClusterCommand.AssignDiskRole;
import io.keel.meta.cluster.ClusterCommand.CreateLocation;
import io.keel.meta.cluster.ClusterCommand.CreatePolicy;
import io.keel.meta.cluster.ClusterCommand.DeletePolicy;
import io.keel.meta.cluster.ClusterCommand.MoveNode;
import org.junit.jupiter.api.Test;

class PolicyCommandsTest {
    private static final DiskRole TIER0 = DiskRole.storage(0, true, false);

    /** Three hosts, each with one tier-0 storage disk (d2), all in the default rack. */
    private static Harness threeHosts() {
        Harness h = Harness.withStorageCluster(3, 3);
        h.applied(new AssignDiskRole("n2", "d2", TIER0));
        h.applied(new AssignDiskRole("n3", "d2", TIER0));
        return h;
    }

    private static CreatePolicy policy(String name, int tier, FailureDomain domain, int replicas) {
        return new CreatePolicy(new StoragePolicy(name, tier, domain, replicas));
    }

    @Test
    void aPlaceablePolicyIsStored() {
        Harness h = threeHosts();
        assertThat(h.applied(policy("triple", 0, FailureDomain.HOST, 3))).isEqualTo("triple");
        assertThat(h.state().policy("triple")).contains(new StoragePolicy("triple", 0, FailureDomain.HOST, 3));
        assertThat(h.state().policies()).extracting(StoragePolicy::name).containsExactly("triple");
    }

    @Test
    void tooFewFailureDomainsIsRefusedWithWhatTheClusterHas() {
        Harness h = threeHosts();
        assertThat(h.rejected(policy("racks", 0, FailureDomain.RACK, 2), INVALID))
                .isEqualTo("policy \"racks\" needs 2 racks with tier-0 storage disks (failure domain rack,"
                        + " 2 replicas); the cluster has 1 (Default rack)");
        h.applied(new CreateLocation("rack-b", Location.Type.RACK, "Rack B", Location.DEFAULT_ROW));
        h.applied(new MoveNode("n2", "rack-b"));
        h.applied(policy("racks", 0, FailureDomain.RACK, 2));
        assertThat(h.rejected(policy("racks3", 0, FailureDomain.RACK, 3), INVALID))
                .contains("the cluster has 2 (Default rack, Rack B)");
        assertThat(h.rejected(policy("rows", 0, FailureDomain.ROW, 2), INVALID)).contains("has 1 (Default row)");
    }

    @Test
    void aTierWithoutStorageIsRefused() {
        Harness h = threeHosts();
        assertThat(h.rejected(policy("cold", 2, FailureDomain.HOST, 1), INVALID))
                .contains("needs 1 host with tier-2 storage disks").endsWith("the cluster has none");
    }

    @Test
    void diskFailureDomainCountsDisks() {
        Harness h = Harness.withStorageCluster(1, 1);
        assertThat(h.rejected(policy("two", 0, FailureDomain.DISK, 2), INVALID)).contains("has 1 (node1/d2)");
        h.applied(new AssignDiskRole("n1", "d3", TIER0));
        h.applied(policy("two", 0, FailureDomain.DISK, 2));
    }

    @Test
    void badValuesAndDuplicatesAreRefused() {
        Harness h = threeHosts();
        assertThat(h.rejected(policy("a b", 0, FailureDomain.HOST, 1), INVALID)).contains("storage policy name");
        assertThat(h.rejected(policy("four", 0, FailureDomain.HOST, 4), INVALID)).contains("replicas must be 1-3");
        assertThat(h.rejected(policy("zero", 0, FailureDomain.HOST, 0), INVALID)).contains("replicas must be 1-3");
        assertThat(h.rejected(policy("t5", 5, FailureDomain.HOST, 1), INVALID)).contains("tier must be 0-3");
        h.applied(policy("one", 0, FailureDomain.HOST, 1));
        assertThat(h.rejected(policy("one", 0, FailureDomain.HOST, 2), CONFLICT)).contains("already exists");
    }

    @Test
    void needsAStorageCluster() {
        assertThat(Harness.withNodes(2).rejected(policy("p", 0, FailureDomain.HOST, 1), INVALID))
                .contains("create the storage cluster first");
    }

    @Test
    void maintenanceNodesDoNotCount() {
        Harness h = threeHosts();
        h.applied(new ClusterCommand.SetMaintenance("n3", true));
        assertThat(h.rejected(policy("triple", 0, FailureDomain.HOST, 3), INVALID)).contains("has 2 (node1, node2)");
    }

    @Test
    void deleteRemovesAndUnknownIsNotFound() {
        Harness h = threeHosts();
        h.applied(policy("one", 0, FailureDomain.HOST, 1));
        assertThat(h.applied(new DeletePolicy("one"))).isEqualTo("one");
        assertThat(h.state().policies()).isEmpty();
        assertThat(h.rejected(new DeletePolicy("one"), NOT_FOUND)).contains("no storage policy \"one\"");
    }

    @Test
    void aPolicyInUseIsNotDeleted() {
        Harness h = threeHosts();
        h.applied(policy("one", 0, FailureDomain.HOST, 1));
        h.applied(new ClusterCommand.CreateVolume("v1", "disk-1", 1L << 30, 64 << 20, "one", Fixtures.T0));
        assertThat(h.rejected(new DeletePolicy("one"), CONFLICT))
                .contains("storage policy \"one\" is used by 1 volume or snapshot: disk-1").contains("set-policy");
        assertThat(h.state().policy("one")).isPresent();
    }
}
