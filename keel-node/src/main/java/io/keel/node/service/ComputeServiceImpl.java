package io.keel.node.service;

import io.keel.api.ApiException;
import io.keel.api.ComputeService;
import io.keel.api.Sizes;
import io.keel.api.dto.AddComputeNodeRequest;
import io.keel.api.dto.ComputeClusterView;
import io.keel.api.dto.ComputeNodeView;
import io.keel.api.dto.CreateComputeClusterRequest;
import io.keel.api.dto.CreateFlavorRequest;
import io.keel.api.dto.FlavorView;
import io.keel.meta.cluster.AcceleratorReport;
import io.keel.meta.cluster.ClusterCommand;
import io.keel.meta.cluster.ClusterState;
import io.keel.meta.cluster.ComputeCapacity;
import io.keel.meta.cluster.ComputeCluster;
import io.keel.meta.cluster.Flavor;
import io.keel.meta.cluster.NodeRecord;
import io.keel.node.health.HeartbeatMonitor;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The compute cluster and flavors over the metadata service. Liveness is this node's heartbeat
 * view, which the replicated logic cannot see, so it is checked here before a command is
 * submitted; everything stored (storage cluster membership, maintenance, duplicates) is judged
 * by the logic. Capacity and the accelerator are read from each node's reported inventory.
 */
public final class ComputeServiceImpl implements ComputeService {
    private final MetaGateway meta;
    private final Views views;
    private final Duration detectionTime;
    private final Clock clock;

    public ComputeServiceImpl(MetaGateway meta, HeartbeatMonitor monitor, Duration detectionTime, Clock clock) {
        this.meta = Objects.requireNonNull(meta, "meta");
        this.detectionTime = Objects.requireNonNull(detectionTime, "detectionTime");
        this.views = new Views(Objects.requireNonNull(monitor, "monitor"), detectionTime);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public ComputeClusterView compute() {
        ClusterState state = meta.state();
        ComputeCluster cluster = existing(state);
        // By name, as administrators read them; the stored order follows the generated ids.
        List<ComputeNodeView> nodes = state.computeNodes().stream()
                .sorted(Comparator.comparing(NodeRecord::name)).map(n -> nodeView(state, n)).toList();
        return new ComputeClusterView(cluster.createdAt(), nodes,
                nodes.stream().mapToInt(ComputeNodeView::vcpus).sum(),
                nodes.stream().mapToLong(ComputeNodeView::ramBytes).sum(),
                nodes.stream().mapToInt(ComputeNodeView::vcpusAllocated).sum(),
                nodes.stream().mapToLong(ComputeNodeView::ramAllocatedBytes).sum());
    }

    @Override
    public ComputeClusterView createCompute(CreateComputeClusterRequest request) {
        if (request == null || request.nodes() == null || request.nodes().isEmpty()) {
            throw ApiException.invalid("a compute cluster needs at least one node: list the nodes to create it on");
        }
        ClusterState state = meta.state();
        ClusterServiceImpl.initialised(state);
        List<String> ids = request.nodes().stream().map(n -> live(state, n).id()).toList();
        meta.submit(new ClusterCommand.CreateComputeCluster(ids, clock.instant(), Flavor.DEFAULTS));
        return compute();
    }

    @Override
    public void deleteCompute() {
        meta.submit(new ClusterCommand.DeleteComputeCluster());
    }

    @Override
    public ComputeClusterView addNode(AddComputeNodeRequest request) {
        if (request == null || request.node() == null) {
            throw ApiException.invalid("the node to add is required");
        }
        meta.submit(new ClusterCommand.AddComputeNode(live(meta.state(), request.node()).id()));
        return compute();
    }

    /** A node that is down may leave: that is when an administrator most needs to remove it. */
    @Override
    public ComputeClusterView removeNode(String node) {
        meta.submit(new ClusterCommand.RemoveComputeNode(ClusterServiceImpl.resolve(meta.state(), node).id()));
        return compute();
    }

    @Override
    public List<FlavorView> flavors() {
        return meta.state().flavors().stream().map(ComputeServiceImpl::flavorView).toList();
    }

    @Override
    public FlavorView flavor(String name) {
        return meta.state().flavor(name).map(ComputeServiceImpl::flavorView)
                .orElseThrow(() -> ApiException.notFound("no flavor '" + name + "'"));
    }

    @Override
    public FlavorView createFlavor(CreateFlavorRequest request) {
        if (request == null || request.name() == null) {
            throw ApiException.invalid("a flavor needs a name");
        }
        if (request.vcpus() == null) {
            throw ApiException.invalid("a flavor needs its number of vCPUs (" + Flavor.MIN_VCPUS + "-"
                    + Flavor.MAX_VCPUS + ")");
        }
        int ramMiB = Sizes.parseMiB("ram", request.ram());
        meta.submit(new ClusterCommand.CreateFlavor(new Flavor(request.name(), request.vcpus(), ramMiB)));
        return flavor(request.name());
    }

    @Override
    public void deleteFlavor(String name) {
        meta.submit(new ClusterCommand.DeleteFlavor(name));
    }

    private static ComputeCluster existing(ClusterState state) {
        ClusterServiceImpl.initialised(state);
        return state.computeCluster().orElseThrow(() -> ApiException.notFound(
                "there is no compute cluster: create it with 'keel compute create --nodes ...'"));
    }

    /** The node named {@code node}, refused unless this node hears its heartbeats. */
    private NodeRecord live(ClusterState state, String node) {
        NodeRecord n = ClusterServiceImpl.resolve(state, node);
        if (!views.alive(n)) {
            throw ApiException.invalid("node " + n.name() + " is not healthy: no heartbeat within the last "
                    + detectionTime.toSeconds() + " s, and compute nodes must be healthy");
        }
        return n;
    }

    /** Allocation counts every VM placed on the node, running or not: each keeps its claim. */
    private ComputeNodeView nodeView(ClusterState state, NodeRecord n) {
        Optional<AcceleratorReport> a = Optional.ofNullable(n.inventory().accelerator());
        ComputeCapacity c = ComputeCapacity.of(state, n, null);
        return new ComputeNodeView(n.id(), n.name(), views.status(n), n.inventory().cpuCores(),
                n.inventory().memoryBytes(), c.vcpusUsed(), c.ramUsedMiB() << 20, a.map(AcceleratorReport::accelerator).orElse(null),
                a.map(AcceleratorReport::mode).orElse(null), a.map(AcceleratorReport::reason).orElse(null));
    }

    private static FlavorView flavorView(Flavor f) {
        return new FlavorView(f.name(), f.vcpus(), f.ramMiB(), f.ramBytes());
    }
}
