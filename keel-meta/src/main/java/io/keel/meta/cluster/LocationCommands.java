package io.keel.meta.cluster;

import io.keel.meta.cluster.ClusterCommand.CreateLocation;
import io.keel.meta.cluster.ClusterCommand.DeleteLocation;
import io.keel.meta.cluster.ClusterCommand.RenameLocation;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Rooms, rows and racks. The tree is kept well-formed by construction: a location is created
 * under an existing parent of the right type, and deleted only when nothing is under it.
 */
final class LocationCommands {
    private static final Set<String> DEFAULTS =
            Set.of(Location.DEFAULT_ROOM, Location.DEFAULT_ROW, Location.DEFAULT_RACK);

    private final ClusterCodec codec;

    LocationCommands(ClusterCodec codec) {
        this.codec = codec;
    }

    Plan create(ClusterState state, CreateLocation c) {
        Checks.initialised(state);
        Checks.valid(Names.validateId("location id", c.id()));
        state.location(c.id()).ifPresent(existing -> {
            throw Rejection.conflict("location id " + Names.quote(c.id()) + " is already taken by "
                    + Checks.describe(existing));
        });
        Location.Type type = Checks.required(c.locationType(), "location type (room, row or rack)");
        Checks.valid(Names.validateLocationName(c.name()));
        checkParent(state, type, c.parentId());
        checkSiblingName(state, c.id(), type, c.name(), c.parentId());
        Location created = new Location(c.id(), type, c.name(), c.parentId());
        return new Plan(codec, c.id()).put(ClusterState.locationKey(c.id()), created);
    }

    Plan rename(ClusterState state, RenameLocation c) {
        Checks.initialised(state);
        Location location = Checks.location(state, c.id());
        Checks.valid(Names.validateLocationName(c.name()));
        checkSiblingName(state, location.id(), location.type(), c.name(), location.parentId());
        Location renamed = new Location(location.id(), location.type(), c.name(), location.parentId());
        return new Plan(codec, location.id()).put(ClusterState.locationKey(location.id()), renamed);
    }

    /** The defaults stay because every new node is placed in the default rack. */
    Plan delete(ClusterState state, DeleteLocation c) {
        Checks.initialised(state);
        Checks.required(c.id(), "location id");
        if (DEFAULTS.contains(c.id())) {
            throw Rejection.invalid("the default room, row and rack cannot be deleted: new nodes are placed"
                    + " there; rename " + Names.quote(c.id()) + " instead if its name does not fit");
        }
        Location location = Checks.location(state, c.id());
        List<Location> children = state.children(location.id());
        if (!children.isEmpty()) {
            throw Rejection.conflict(capitalised(Checks.describe(location)) + " still contains "
                    + Checks.list(children.stream().map(Checks::describe).toList())
                    + ": delete those first");
        }
        List<NodeRecord> nodes = state.nodesInRack(location.id());
        if (!nodes.isEmpty()) {
            throw Rejection.conflict(capitalised(Checks.describe(location)) + " still holds node(s) "
                    + Checks.list(nodes.stream().map(Checks::describe).toList())
                    + ": move them to another rack first");
        }
        return new Plan(codec, location.id()).delete(ClusterState.locationKey(location.id()));
    }

    private static void checkParent(ClusterState state, Location.Type type, String parentId) {
        String kind = kind(type);
        if (type == Location.Type.ROOM) {
            if (parentId != null) {
                throw Rejection.invalid("a room is not inside another location: leave its parent empty");
            }
            return;
        }
        Location.Type parentType = type == Location.Type.ROW ? Location.Type.ROOM : Location.Type.ROW;
        if (parentId == null) {
            throw Rejection.invalid("a " + kind + " must be inside a " + kind(parentType) + ": give its parent");
        }
        Location parent = state.location(parentId).orElseThrow(() -> Rejection.notFound(
                "parent location " + Names.quote(parentId) + " of the new " + kind + " does not exist"));
        if (parent.type() != parentType) {
            throw Rejection.invalid("a " + kind + " must be inside a " + kind(parentType) + ", but "
                    + Checks.describe(parent) + " is a " + kind(parent.type()));
        }
    }

    /** Names are unique among siblings only, so that "Rack 1" can exist in every row. */
    private static void checkSiblingName(ClusterState state, String selfId, Location.Type type, String name,
            String parentId) {
        for (Location sibling : state.children(parentId)) {
            if (!sibling.id().equals(selfId) && sibling.name().equals(name)) {
                String taken = "a " + kind(type) + " named " + Names.quote(name) + " (id "
                        + Names.quote(sibling.id()) + ")";
                String where = parentId == null ? "there is already " + taken
                        : capitalised(state.location(parentId).map(Checks::describe).orElse(Names.quote(parentId)))
                                + " already has " + taken;
                throw Rejection.conflict(where + ": choose another name");
            }
        }
    }

    private static String kind(Location.Type type) {
        return type.name().toLowerCase(Locale.ROOT);
    }

    private static String capitalised(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
