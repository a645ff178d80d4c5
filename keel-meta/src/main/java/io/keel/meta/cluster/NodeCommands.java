package io.keel.meta.cluster;

import io.keel.meta.cluster.ClusterCommand.InitCluster;
import io.keel.meta.cluster.ClusterCommand.MoveNode;
import io.keel.meta.cluster.ClusterCommand.RegisterNode;
import io.keel.meta.cluster.ClusterCommand.RotateJoinToken;
import io.keel.meta.cluster.ClusterCommand.SetMaintenance;
import io.keel.meta.cluster.ClusterCommand.UpdateInventory;
import java.util.List;

/** The cluster's life and its nodes' admission: bootstrap, join tokens, registration, node changes. */
final class NodeCommands {
    /** Every cluster starts with one room, row and rack, so that a node always has a place. */
    static final List<Location> DEFAULT_LOCATIONS = List.of(
            new Location(Location.DEFAULT_ROOM, Location.Type.ROOM, "Default room", null),
            new Location(Location.DEFAULT_ROW, Location.Type.ROW, "Default row", Location.DEFAULT_ROOM),
            new Location(Location.DEFAULT_RACK, Location.Type.RACK, "Default rack", Location.DEFAULT_ROW));

    private final ClusterCodec codec;

    NodeCommands(ClusterCodec codec) {
        this.codec = codec;
    }

    Plan init(ClusterState state, InitCluster c) {
        state.cluster().ifPresent(existing -> {
            throw Rejection.conflict("the cluster is already initialised (id " + Names.quote(existing.id())
                    + "); to add this node, join it to the cluster with a join token instead");
        });
        Checks.valid(Names.validateId("cluster id", c.clusterId()));
        Checks.required(c.at(), "initialisation time");
        ClusterSecrets secrets = Checks.required(c.secrets(), "cluster secrets");
        if (secrets.superadminPasswordHash().isBlank() || secrets.tokenSigningKey().isBlank()) {
            throw Rejection.invalid("the superadmin password hash and the token signing key must not be empty");
        }
        JoinToken token = Checks.joinToken(c.joinToken());
        if (token.expiredAt(c.at())) {
            throw Rejection.invalid("the initial join token expires at " + token.expiresAt()
                    + ", not after the initialisation time " + c.at() + ": generate it with a positive lifetime");
        }
        NodeRecord first = Checks.required(c.firstNode(), "first node");
        NodeRules.checkNew(state, first);

        ClusterInfo info = new ClusterInfo(c.clusterId(), c.at(), first.id(), null, null, false);
        Plan plan = new Plan(codec, c.clusterId())
                .put(ClusterState.CLUSTER_KEY, info)
                .put(ClusterState.SECRETS_KEY, secrets)
                .put(ClusterState.JOIN_TOKEN_KEY, token);
        DEFAULT_LOCATIONS.forEach(l -> plan.put(ClusterState.locationKey(l.id()), l));
        return plan.put(ClusterState.nodeKey(first.id()), NodeRules.admitted(first, c.at()));
    }

    /**
     * The token is checked before anything about the node, so that a caller without a valid token
     * learns nothing about existing nodes from the answer.
     */
    Plan register(ClusterState state, RegisterNode c) {
        Checks.initialised(state);
        JoinToken current = state.joinToken().orElseThrow(() -> Rejection.forbidden(
                "the cluster has no join token: rotate one with 'keel node token rotate'"));
        if (c.presentedToken() == null || !Secrets.constantTimeEquals(c.presentedToken(), current.token())) {
            throw Rejection.forbidden("join token is not valid (wrong, or rotated): get the current token from"
                    + " an administrator of the cluster and retry");
        }
        Checks.required(c.at(), "registration time");
        if (current.expiredAt(c.at())) {
            throw Rejection.forbidden("join token expired at " + current.expiresAt()
                    + "; rotate it with 'keel node token rotate' and join with the new token");
        }
        NodeRecord node = Checks.required(c.node(), "node");
        NodeRules.checkNew(state, node);
        return new Plan(codec, node.id()).put(ClusterState.nodeKey(node.id()), NodeRules.admitted(node, c.at()));
    }

    /**
     * The generation must follow the current one exactly: two administrators rotating at once
     * both read generation N, and only the first rotation to commit may win.
     */
    Plan rotateToken(ClusterState state, RotateJoinToken c) {
        Checks.initialised(state);
        JoinToken next = Checks.joinToken(c.token());
        long current = state.joinToken().map(JoinToken::generation).orElse(0L);
        if (next.generation() != current + 1) {
            throw Rejection.conflict("stale join token rotation: the current token is generation " + current
                    + ", so a rotation must carry generation " + (current + 1) + ", not " + next.generation()
                    + " (someone else rotated it meanwhile); read the current token and retry");
        }
        if (!next.expiresAt().isAfter(next.createdAt())) {
            throw Rejection.invalid("the new join token expires at " + next.expiresAt()
                    + ", not after its creation at " + next.createdAt() + ": give it a positive lifetime");
        }
        return new Plan(codec, Long.toString(next.generation())).put(ClusterState.JOIN_TOKEN_KEY, next);
    }

    /** Roles are kept even for disks the new inventory lacks: a disk may be missing only for a while. */
    Plan updateInventory(ClusterState state, UpdateInventory c) {
        Checks.initialised(state);
        NodeRecord node = Checks.node(state, c.nodeId());
        Inventory inventory = Checks.required(c.inventory(), "inventory");
        NodeRules.checkInventory(node.name(), inventory);
        return new Plan(codec, node.id())
                .put(ClusterState.nodeKey(node.id()), NodeCopies.withInventory(node, inventory));
    }

    Plan moveNode(ClusterState state, MoveNode c) {
        Checks.initialised(state);
        NodeRecord node = Checks.node(state, c.nodeId());
        Location rack = Checks.location(state, c.rackId());
        if (rack.type() != Location.Type.RACK) {
            throw Rejection.invalid("nodes are placed in racks, and " + Checks.describe(rack)
                    + " is not a rack: choose a rack in it");
        }
        return new Plan(codec, node.id()).put(ClusterState.nodeKey(node.id()), NodeCopies.withRack(node, rack.id()));
    }

    Plan setMaintenance(ClusterState state, SetMaintenance c) {
        Checks.initialised(state);
        NodeRecord node = Checks.node(state, c.nodeId());
        if (!node.inCluster()) {
            throw Rejection.invalid("node " + Checks.describe(node) + " is not in the storage cluster, so it has"
                    + " no maintenance mode: it runs nothing to evacuate");
        }
        return new Plan(codec, node.id())
                .put(ClusterState.nodeKey(node.id()), NodeCopies.withMaintenance(node, c.maintenance()));
    }
}
