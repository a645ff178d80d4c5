package io.keel.node.service;

import io.keel.api.ApiException;
import io.keel.meta.cluster.ClusterState;
import io.keel.meta.cluster.ComputeCapacity;
import io.keel.meta.cluster.Flavor;
import io.keel.meta.cluster.NodeRecord;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * Automatic placement: the live compute node with the most free RAM that has room for the flavor
 * (RAM is the resource that runs out first on a hypervisor, and is never overcommitted). Ties go to
 * the node with more free vCPUs, then by name, so the choice is predictable.
 */
final class VmPlacer {
    private VmPlacer() {}

    static NodeRecord choose(ClusterState s, Predicate<String> alive, Flavor flavor) {
        List<NodeRecord> nodes = s.computeNodes();
        if (nodes.isEmpty()) {
            throw ApiException.invalid("there is no compute cluster: create it first (keel compute create)");
        }
        if (nodes.stream().noneMatch(n -> ComputeCapacity.of(s, n, null).couldEverHold(flavor.vcpus(),
                flavor.ramMiB()))) {
            throw ApiException.invalid("flavor " + flavor.name() + " (" + flavor.vcpus() + " vCPUs, " + flavor.ramMiB()
                    + " MiB) is bigger than any compute node: choose a smaller flavor");
        }
        return nodes.stream()
                .filter(n -> alive.test(n.id()) && !n.maintenance())
                .filter(n -> ComputeCapacity.of(s, n, null).hasRoomFor(flavor.vcpus(), flavor.ramMiB()))
                .max(Comparator.<NodeRecord>comparingLong(n -> ComputeCapacity.of(s, n, null).ramFreeMiB())
                        .thenComparingInt(n -> ComputeCapacity.of(s, n, null).vcpusFree())
                        .thenComparing(NodeRecord::name, Comparator.reverseOrder()))
                .orElseThrow(() -> ApiException.conflict("no live compute node has room for flavor " + flavor.name()
                        + " (" + flavor.vcpus() + " vCPUs, " + flavor.ramMiB() + " MiB): see 'keel compute show'"));
    }
}
