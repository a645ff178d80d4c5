package io.keel.node.service;

import io.keel.api.dto.DiskView;
import io.keel.api.dto.LocationRef;
import io.keel.api.dto.LocationView;
import io.keel.api.dto.NodeView;
import io.keel.meta.cluster.ClusterState;
import io.keel.meta.cluster.Disk;
import io.keel.meta.cluster.DiskRole;
import io.keel.meta.cluster.Location;
import io.keel.meta.cluster.NodeRecord;
import io.keel.node.health.HeartbeatMonitor;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Builds the API's views from the replicated records and this node's heartbeat view. */
final class Views {
    private final HeartbeatMonitor monitor;
    private final Duration detectionTime;

    Views(HeartbeatMonitor monitor, Duration detectionTime) {
        this.monitor = Objects.requireNonNull(monitor, "monitor");
        this.detectionTime = Objects.requireNonNull(detectionTime, "detectionTime");
    }

    /** A lost node is Unhealthy whatever else it is: that is what an administrator must see first. */
    String status(NodeRecord n) {
        if (!alive(n)) return "UNHEALTHY";
        if (n.maintenance()) return "MAINTENANCE";
        if (!n.inCluster()) return "UNASSIGNED";
        return "HEALTHY";
    }

    /** A node that joined less than a detection time ago and has not been heard yet is not lost. */
    boolean alive(NodeRecord n) {
        if (monitor.alive(n.id(), detectionTime)) {
            return true;
        }
        return monitor.age(n.id()).isEmpty() && n.joinedAt().plus(detectionTime).isAfter(java.time.Instant.now());
    }

    NodeView node(NodeRecord n, ClusterState state) {
        return node(n, state, locationIndex(state));
    }

    NodeView node(NodeRecord n, ClusterState state, Map<String, Location> locations) {
        List<String> roles = new TreeSet<>(n.diskRoles().values().stream()
                .map(DiskRole::type)
                .filter(t -> t != DiskRole.Type.NONE)
                .map(Roles::name)
                .toList()).stream().toList();
        Long age = monitor.age(n.id()).map(Duration::toMillis).orElse(null);
        return new NodeView(n.id(), n.name(), n.address(), n.apiPort(), status(n), n.inCluster(),
                n.maintenance(), roles, locationRef(n.rackId(), locations), age, n.joinedAt(), n.inventory(),
                state.release(n.id()).map(r -> "draining since " + r.requestedAt().truncatedTo(ChronoUnit.SECONDS))
                        .orElse(null));
    }

    List<NodeView> nodes(ClusterState state) {
        Map<String, Location> locations = locationIndex(state);
        return state.nodes().stream().map(n -> node(n, state, locations)).toList();
    }

    DiskView disk(NodeRecord n, Disk d) {
        DiskRole role = n.roleOf(d.id());
        return new DiskView(n.id(), n.name(), d.id(), d.kind(), d.device(), d.sizeBytes(), d.rotational(),
                d.model(), d.serial(), d.system(), Roles.name(role.type()), role.tier(), role.checksumming(),
                role.caching());
    }

    List<DiskView> disks(NodeRecord n) {
        return n.inventory().disks().stream().map(d -> disk(n, d)).toList();
    }

    List<LocationView> locations(ClusterState state) {
        Map<String, List<String>> nodesByRack = state.nodes().stream()
                .collect(Collectors.groupingBy(NodeRecord::rackId,
                        Collectors.mapping(NodeRecord::id, Collectors.toList())));
        return state.locations().stream().map(l -> location(l, nodesByRack)).toList();
    }

    LocationView location(Location l, Map<String, List<String>> nodesByRack) {
        List<String> nodeIds = l.type() == Location.Type.RACK ? nodesByRack.getOrDefault(l.id(), List.of()) : null;
        return new LocationView(l.id(), l.type().name().toLowerCase(java.util.Locale.ROOT), l.name(), l.parentId(), nodeIds);
    }

    static Map<String, Location> locationIndex(ClusterState state) {
        return state.locations().stream().collect(Collectors.toMap(Location::id, Function.identity()));
    }

    private static LocationRef locationRef(String rackId, Map<String, Location> index) {
        Optional<Location> rack = Optional.ofNullable(index.get(rackId));
        Optional<Location> row = rack.map(r -> index.get(r.parentId()));
        Optional<Location> room = row.map(r -> index.get(r.parentId()));
        return new LocationRef(
                room.map(Location::id).orElse(null), room.map(Location::name).orElse(null),
                row.map(Location::id).orElse(null), row.map(Location::name).orElse(null),
                rackId, rack.map(Location::name).orElse(null));
    }
}
