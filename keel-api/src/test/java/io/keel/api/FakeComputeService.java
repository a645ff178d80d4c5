package io.keel.api;

import io.keel.api.dto.AddComputeNodeRequest;
import io.keel.api.dto.ComputeClusterView;
import io.keel.api.dto.ComputeNodeView;
import io.keel.api.dto.CreateComputeClusterRequest;
import io.keel.api.dto.CreateFlavorRequest;
import io.keel.api.dto.FlavorView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-memory compute cluster over the nodes "node1".."node3" (node3 unhealthy) and flavors,
 * with the main checks a real service makes; records what it was asked and fails on demand.
 */
final class FakeComputeService implements ComputeService {
    static final Instant CREATED_AT = Instant.parse("2026-01-02T03:04:05Z");
    private static final List<String> HEALTHY = List.of("node1", "node2");

    /** When set, every call throws it. */
    volatile RuntimeException failure;
    final List<Object> calls = new CopyOnWriteArrayList<>();
    final Map<String, FlavorView> flavors = new TreeMap<>();
    /** Null: no compute cluster. */
    List<String> nodes;

    private void record(Object call) {
        calls.add(call);
        RuntimeException f = failure;
        if (f != null) {
            throw f;
        }
    }

    synchronized void reset() {
        failure = null;
        calls.clear();
        flavors.clear();
        nodes = null;
    }

    private static ComputeNodeView node(String name) {
        return new ComputeNodeView("id-" + name, name, "HEALTHY", 2, 4L << 30, 0, 0, "tcg", "auto",
                "auto: /dev/kvm does not exist");
    }

    private ComputeClusterView view() {
        List<ComputeNodeView> views = nodes.stream().map(FakeComputeService::node).toList();
        return new ComputeClusterView(CREATED_AT, views, 2 * views.size(), (4L << 30) * views.size(), 0, 0);
    }

    private List<String> existing() {
        return Optional.ofNullable(nodes).orElseThrow(() -> ApiException.notFound("there is no compute cluster"));
    }

    private static String healthy(String node) {
        if (!HEALTHY.contains(node)) {
            throw node.startsWith("node") ? ApiException.invalid("node " + node + " is UNHEALTHY")
                    : ApiException.notFound("no node '" + node + "'");
        }
        return node;
    }

    @Override
    public synchronized ComputeClusterView compute() {
        record("show");
        existing();
        return view();
    }

    @Override
    public synchronized ComputeClusterView createCompute(CreateComputeClusterRequest request) {
        record(request);
        if (nodes != null) {
            throw ApiException.conflict("a compute cluster already exists");
        }
        if (request.nodes() == null || request.nodes().isEmpty()) {
            throw ApiException.invalid("a compute cluster needs at least one node");
        }
        nodes = new ArrayList<>(request.nodes().stream().map(FakeComputeService::healthy).toList());
        flavors.putIfAbsent("tiny", new FlavorView("tiny", 1, 512, 512L << 20));
        return view();
    }

    @Override
    public synchronized void deleteCompute() {
        record("delete");
        existing();
        nodes = null;
    }

    @Override
    public synchronized ComputeClusterView addNode(AddComputeNodeRequest request) {
        record(request);
        existing().add(healthy(request.node()));
        return view();
    }

    @Override
    public synchronized ComputeClusterView removeNode(String node) {
        record("remove " + node);
        if (!existing().contains(node)) {
            throw ApiException.notFound("node " + node + " is not in the compute cluster");
        }
        if (nodes.size() == 1) {
            throw ApiException.conflict("node " + node + " is the compute cluster's last node");
        }
        nodes.remove(node);
        return view();
    }

    @Override
    public synchronized List<FlavorView> flavors() {
        record("flavors");
        return List.copyOf(flavors.values());
    }

    @Override
    public synchronized FlavorView flavor(String name) {
        record("flavor " + name);
        return Optional.ofNullable(flavors.get(name)).orElseThrow(() -> ApiException.notFound("no flavor '" + name + "'"));
    }

    @Override
    public synchronized FlavorView createFlavor(CreateFlavorRequest request) {
        record(request);
        int ram = Sizes.parseMiB("ram", request.ram());
        if (request.vcpus() == null || request.vcpus() < 1) {
            throw ApiException.invalid("vCPUs must be 1-256");
        }
        if (flavors.containsKey(request.name())) {
            throw ApiException.conflict("flavor '" + request.name() + "' already exists");
        }
        FlavorView f = new FlavorView(request.name(), request.vcpus(), ram, (long) ram << 20);
        flavors.put(f.name(), f);
        return f;
    }

    @Override
    public synchronized void deleteFlavor(String name) {
        record("delete flavor " + name);
        if (flavors.remove(name) == null) {
            throw ApiException.notFound("no flavor '" + name + "'");
        }
    }
}
