package io.keel.meta.cluster;

import static io.keel.meta.cluster.Fixtures.T0;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Draws commands from small pools of ids, names, ports and disks, so that valid commands,
 * collisions and plain mistakes all come up often. Reads the current state only to pick a
 * plausible token or generation, as a real client would.
 */
final class RandomCommands {
    private static final String[] DISKS = {"sys", "d1", "d2", "d3", "ssd", "nvme9"};
    private static final String[] LOCATIONS = {"default-room", "default-row", "default-rack", "l1", "l2", "l3",
        "l4", "l5", "l6", "ghost"};
    private static final String[] LOCATION_NAMES = {"A", "B", "C", "Rack 1", "", "a/b"};
    private static final String[] CLUSTER_NAMES = {"stor1", "stor-2", "bad name", "-x"};

    private final Random rnd;

    RandomCommands(Random rnd) {
        this.rnd = rnd;
    }

    ClusterCommand next(ClusterState state) {
        if (!state.initialised() && rnd.nextInt(4) != 0) {
            return new ClusterCommand.InitCluster(pick("c1", "c/2"), T0, Fixtures.secrets(),
                    Fixtures.token(Fixtures.TOKEN1, 1), node(1 + rnd.nextInt(3)));
        }
        // Most rules only bite inside a storage cluster, so help one come about.
        boolean noStorageCluster = state.cluster().map(c -> !c.hasStorageCluster()).orElse(false);
        if (noStorageCluster && state.nodes().size() >= 3 && rnd.nextInt(5) == 0) {
            return createStorageCluster(state);
        }
        return switch (rnd.nextInt(13)) {
            case 0 -> new ClusterCommand.InitCluster("c1", T0, Fixtures.secrets(), Fixtures.token(Fixtures.TOKEN1, 1),
                    node(1));
            case 1, 2 -> new ClusterCommand.RegisterNode(token(state), time(), node(newNodeIndex(state)));
            case 3 -> rotation(state);
            case 4 -> new ClusterCommand.UpdateInventory(nodeId(state), inventory());
            case 5 -> createStorageCluster(state);
            case 6 -> new ClusterCommand.JoinStorageCluster(nodeId(state), rnd.nextInt(5) == 0 ? null : roles());
            case 7, 8 -> new ClusterCommand.AssignDiskRole(nodeId(state), pick(DISKS), role());
            case 9 -> createLocation(state);
            case 10 -> rnd.nextBoolean() ? new ClusterCommand.RenameLocation(locationId(state), pick(LOCATION_NAMES))
                    : new ClusterCommand.DeleteLocation(locationId(state));
            case 11 -> new ClusterCommand.MoveNode(nodeId(state), rackId(state));
            default -> new ClusterCommand.SetMaintenance(nodeId(state), rnd.nextBoolean());
        };
    }

    /** Mostly a node not registered yet, so that registrations succeed often enough to build a cluster. */
    private int newNodeIndex(ClusterState state) {
        for (int attempt = 0; attempt < 3; attempt++) {
            int i = 1 + rnd.nextInt(8);
            if (state.node("n" + i).isEmpty()) {
                return i;
            }
        }
        return 1 + rnd.nextInt(8);
    }

    /** Half the time a plausible request: existing distinct nodes, one metadata disk each on a few. */
    private ClusterCommand createStorageCluster(ClusterState state) {
        if (rnd.nextBoolean()) {
            return new ClusterCommand.CreateStorageCluster(pick(CLUSTER_NAMES), time(), rnd.nextBoolean(),
                    nodeIds(), roleTable());
        }
        List<String> ids = new ArrayList<>();
        Map<String, Map<String, DiskRole>> table = new LinkedHashMap<>();
        for (NodeRecord node : state.nodes()) {
            if (rnd.nextInt(3) != 0) {
                ids.add(node.id());
                Map<String, DiskRole> roles = new LinkedHashMap<>(rnd.nextInt(4) == 0 ? roles() : Map.of());
                if (ids.size() <= 3) {
                    roles.put(pick("d1", "d1", "ssd"), rnd.nextBoolean() ? DiskRole.METADATA
                            : new DiskRole(DiskRole.Type.METADATA_CACHE, 0, false, false));
                }
                table.put(node.id(), roles);
            }
        }
        return new ClusterCommand.CreateStorageCluster(pick("stor1", "stor1", "stor1", "bad name"), time(), false, ids,
                table);
    }

    private ClusterCommand createLocation(ClusterState state) {
        Location.Type type = pick(Location.Type.values());
        String parent = null;
        if (type != Location.Type.ROOM || rnd.nextInt(5) == 0) {
            Location.Type parentType = type == Location.Type.RACK ? Location.Type.ROW : Location.Type.ROOM;
            List<Location> parents = state.locations().stream().filter(l -> l.type() == parentType).toList();
            parent = rnd.nextInt(4) == 0 || parents.isEmpty() ? pick(LOCATIONS)
                    : parents.get(rnd.nextInt(parents.size())).id();
        }
        return new ClusterCommand.CreateLocation(pick(LOCATIONS), type, pick(LOCATION_NAMES), parent);
    }

    private String nodeId(ClusterState state) {
        List<NodeRecord> nodes = state.nodes();
        return nodes.isEmpty() || rnd.nextInt(5) == 0 ? nodeId() : nodes.get(rnd.nextInt(nodes.size())).id();
    }

    private String locationId(ClusterState state) {
        List<Location> locations = state.locations();
        return locations.isEmpty() || rnd.nextInt(5) == 0 ? pick(LOCATIONS)
                : locations.get(rnd.nextInt(locations.size())).id();
    }

    private String rackId(ClusterState state) {
        List<Location> racks = state.locations().stream().filter(l -> l.type() == Location.Type.RACK).toList();
        return racks.isEmpty() || rnd.nextInt(4) == 0 ? pick(LOCATIONS) : racks.get(rnd.nextInt(racks.size())).id();
    }

    private String token(ClusterState state) {
        int r = rnd.nextInt(10);
        if (r < 7) {
            return state.joinToken().map(JoinToken::token).orElse(Fixtures.TOKEN1);
        }
        return r == 7 ? Fixtures.TOKEN1 : r == 8 ? "keel1.wrong" : null;
    }

    private ClusterCommand rotation(ClusterState state) {
        long current = state.joinToken().map(JoinToken::generation).orElse(1L);
        long generation = current + pick(1L, 1L, 1L, 0L, 2L);
        Instant created = time();
        return new ClusterCommand.RotateJoinToken(
                new JoinToken("keel1.generation-" + generation, generation, created, created.plusSeconds(86_400)));
    }

    /** Mostly within a day of T0, sometimes past the first token's expiry. */
    private Instant time() {
        return T0.plusSeconds(rnd.nextInt(10) == 0 ? 86_400 + rnd.nextInt(6 * 3600) : rnd.nextInt(20 * 3600));
    }

    /** Node i, with name, address and ports drawn so that they collide with other nodes now and then. */
    private NodeRecord node(int i) {
        String name = pick("node" + i, "node" + i, "node" + i, "node" + i, "node" + i, "NODE" + (1 + rnd.nextInt(8)), "n" + (1 + rnd.nextInt(8)),
                "bad name");
        String address = "10.0.0." + (rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(4) : i);
        int api = pick(8443, 8443, 8443, 8444);
        int raft = pick(9000, 9000, 9000, 9001, 8443);
        return new NodeRecord("n" + i, name, address, api, raft, Fixtures.HASH, T0, rnd.nextBoolean(),
                rnd.nextBoolean(), pick(LOCATIONS), Fixtures.inventory(), rnd.nextBoolean() ? Map.of() : roles());
    }

    private String nodeId() {
        return rnd.nextInt(10) == 0 ? "ghost" : "n" + (1 + rnd.nextInt(8));
    }

    private List<String> nodeIds() {
        List<String> ids = new ArrayList<>();
        int count = rnd.nextInt(8);
        for (int i = 0; i < count; i++) {
            ids.add(nodeId());
        }
        return ids;
    }

    /** Disk flags stay as in the fixture ("sys" the only system disk); disks may vanish or appear. */
    private Inventory inventory() {
        List<Disk> disks = new ArrayList<>();
        for (String id : DISKS) {
            if (rnd.nextInt(4) != 0) {
                disks.add(Fixtures.disk(id, id.equals("sys")));
            }
        }
        if (rnd.nextInt(10) == 0 && !disks.isEmpty()) {
            disks.add(disks.getFirst());
        }
        return Fixtures.inventory(disks);
    }

    private Map<String, Map<String, DiskRole>> roleTable() {
        Map<String, Map<String, DiskRole>> table = new LinkedHashMap<>();
        for (int i = rnd.nextInt(5); i > 0; i--) {
            table.put(nodeId(), roles());
        }
        return table;
    }

    private Map<String, DiskRole> roles() {
        Map<String, DiskRole> roles = new LinkedHashMap<>();
        for (int i = rnd.nextInt(4); i > 0; i--) {
            roles.put(pick(DISKS), role());
        }
        return roles;
    }

    private DiskRole role() {
        int tier = rnd.nextInt(4);
        return switch (rnd.nextInt(7)) {
            case 0 -> DiskRole.NONE;
            case 1, 2 -> DiskRole.METADATA;
            case 3 -> DiskRole.storage(tier, rnd.nextBoolean(), rnd.nextBoolean());
            case 4 -> new DiskRole(DiskRole.Type.CACHE, tier, false, false);
            case 5 -> new DiskRole(DiskRole.Type.METADATA_CACHE, tier, false, false);
            default -> DiskRole.SYSTEM;
        };
    }

    @SafeVarargs
    private <T> T pick(T... choices) {
        return choices[rnd.nextInt(choices.length)];
    }
}
