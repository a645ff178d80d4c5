package io.keel.meta.cluster;

import java.time.Instant;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** What a node record must satisfy to be admitted, alone and next to the nodes already there. */
final class NodeRules {
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private NodeRules() {}

    /** The record as the cluster stores a newly admitted node: what the cluster decides is forced. */
    static NodeRecord admitted(NodeRecord node, Instant at) {
        return new NodeRecord(node.id(), node.name(), node.address(), node.apiPort(), node.raftPort(),
                node.secretHash(), at, false, false, Location.DEFAULT_RACK, node.inventory(), Map.of());
    }

    /** Checks the fields of a node that asks to be admitted, then that it clashes with no other node. */
    static void checkNew(ClusterState state, NodeRecord node) {
        Checks.valid(Names.validateId("node id", node.id()));
        Checks.valid(Names.validateNodeName(node.name()));
        if (node.address().isBlank()) {
            throw Rejection.invalid("node " + Names.quote(node.name()) + " has no address: give the address"
                    + " other nodes reach it at");
        }
        checkPort(node, "API", node.apiPort());
        checkPort(node, "Raft", node.raftPort());
        if (node.apiPort() == node.raftPort()) {
            throw Rejection.invalid("node " + Names.quote(node.name()) + " uses port " + node.apiPort()
                    + " for both its API and Raft: give them different ports");
        }
        if (!SHA256_HEX.matcher(node.secretHash()).matches()) {
            throw Rejection.invalid("node " + Names.quote(node.name()) + " has a malformed credential hash:"
                    + " expected 64 lower-case hex digits (SHA-256)");
        }
        checkInventory(node.name(), node.inventory());
        checkUnique(state, node);
    }

    /** Disk roles are keyed by disk id, so two disks with one id could not be told apart. */
    static void checkInventory(String nodeName, Inventory inventory) {
        Set<String> seen = new HashSet<>();
        Set<String> duplicates = new TreeSet<>();
        for (Disk disk : inventory.disks()) {
            if (!seen.add(disk.id())) {
                duplicates.add(Names.quote(disk.id()));
            }
        }
        if (!duplicates.isEmpty()) {
            throw Rejection.invalid("the inventory of node " + Names.quote(nodeName) + " lists disk id(s) "
                    + Checks.list(duplicates) + " more than once: disk ids must be unique within a node");
        }
    }

    private static void checkPort(NodeRecord node, String what, int port) {
        if (port < 1 || port > 65535) {
            throw Rejection.invalid("node " + Names.quote(node.name()) + " has " + what + " port " + port
                    + ", which is not a TCP port (1-65535)");
        }
    }

    /**
     * Names compare case-insensitively because they are host names. A name may not be another
     * node's id either: "keel node show X" looks nodes up by id or name and must find one node.
     */
    private static void checkUnique(ClusterState state, NodeRecord node) {
        for (NodeRecord other : state.nodes()) {
            if (other.id().equals(node.id())) {
                throw Rejection.conflict("node id " + Names.quote(node.id()) + " is already registered, as node "
                        + Names.quote(other.name()));
            }
            if (other.name().equalsIgnoreCase(node.name())) {
                throw Rejection.conflict("node name " + Names.quote(node.name()) + " is already taken by node "
                        + Checks.describe(other) + ": choose another name");
            }
            if (other.id().equals(node.name()) || other.name().equals(node.id())) {
                throw Rejection.conflict("node " + Names.quote(node.name()) + " (id " + Names.quote(node.id())
                        + ") would be ambiguous with node " + Checks.describe(other)
                        + ": a node's name may not be another node's id");
            }
            checkEndpoint(node, node.apiPort(), "API", other);
            checkEndpoint(node, node.raftPort(), "Raft", other);
        }
    }

    /** Ports clash across kinds too: an API port of one node cannot be another node's Raft port on one host. */
    private static void checkEndpoint(NodeRecord node, int port, String what, NodeRecord other) {
        boolean sameHost = other.address().toLowerCase(Locale.ROOT).equals(node.address().toLowerCase(Locale.ROOT));
        if (sameHost && (other.apiPort() == port || other.raftPort() == port)) {
            throw Rejection.conflict("address " + Names.quote(node.address() + ":" + port) + " (the " + what
                    + " endpoint of node " + Names.quote(node.name()) + ") is already used by node "
                    + Checks.describe(other) + ": give the new node another port");
        }
    }
}
