package io.keel.meta.cluster;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Checks shared by every kind of command. Each throws a {@link Rejection} or returns what it found. */
final class Checks {
    private static final int LISTED = 10;
    static final int MIN_TOKEN_LENGTH = 16;

    private Checks() {}

    static <T> T required(T value, String field) {
        if (value == null) {
            throw Rejection.invalid(field + " is required");
        }
        return value;
    }

    /** The value, or a "not found" rejection with {@code message} when it is absent. */
    static <T> T found(Optional<T> value, String message) {
        return value.orElseThrow(() -> Rejection.notFound(message));
    }

    static void valid(Optional<String> error) {
        error.ifPresent(message -> {
            throw Rejection.invalid(message);
        });
    }

    /**
     * A join token admits anyone who presents it, so a blank or short one would open the cluster;
     * {@link JoinTokens#generate} makes 49-character tokens.
     */
    static JoinToken joinToken(JoinToken token) {
        required(token, "join token");
        if (token.token().isBlank() || token.token().length() < MIN_TOKEN_LENGTH) {
            throw Rejection.invalid("the join token is too short to be secret (under " + MIN_TOKEN_LENGTH
                    + " characters): generate tokens with JoinTokens.generate");
        }
        return token;
    }

    static ClusterInfo initialised(ClusterState state) {
        return state.cluster().orElseThrow(() -> Rejection.notInitialised(
                "the cluster is not initialised yet: bootstrap the first node, then retry"));
    }

    static NodeRecord node(ClusterState state, String nodeId) {
        required(nodeId, "node id");
        return state.node(nodeId).orElseThrow(() -> Rejection.notFound(
                "node " + Names.quote(nodeId) + " does not exist"));
    }

    /**
     * The listed nodes in id order, after checking the list names each existing node once;
     * {@code whenEmpty} is the refusal for an empty list, which only the caller can word.
     */
    static Map<String, NodeRecord> distinctNodes(ClusterState state, List<String> nodeIds, String whenEmpty) {
        if (nodeIds == null || nodeIds.isEmpty()) {
            throw Rejection.invalid(whenEmpty);
        }
        TreeSet<String> duplicates = new TreeSet<>();
        TreeSet<String> missing = new TreeSet<>();
        Map<String, NodeRecord> members = new TreeMap<>();
        for (String id : nodeIds) {
            required(id, "node id");
            if (members.containsKey(id) || missing.contains(id)) {
                duplicates.add(Names.quote(id));
                continue;
            }
            state.node(id).ifPresentOrElse(n -> members.put(id, n), () -> missing.add(id));
        }
        if (!duplicates.isEmpty()) {
            throw Rejection.invalid("node(s) " + list(duplicates) + " are listed more than once");
        }
        if (!missing.isEmpty()) {
            throw Rejection.notFound("node(s) " + list(missing.stream().map(Names::quote).toList()) + " do not exist");
        }
        return members;
    }

    static Location location(ClusterState state, String locationId) {
        required(locationId, "location id");
        return state.location(locationId).orElseThrow(() -> Rejection.notFound(
                "location " + Names.quote(locationId) + " does not exist"));
    }

    /** A node as administrators know it, by name with its id, for messages. */
    static String describe(NodeRecord node) {
        return node.name().equals(node.id()) ? Names.quote(node.name())
                : Names.quote(node.name()) + " (id " + Names.quote(node.id()) + ")";
    }

    static String describe(Location location) {
        return location.type().name().toLowerCase(Locale.ROOT) + " " + Names.quote(location.name())
                + " (id " + Names.quote(location.id()) + ")";
    }

    /** Joins already-ordered items for a message, capped so that a message stays readable. */
    static String list(Collection<String> items) {
        String shown = items.stream().limit(LISTED).collect(Collectors.joining(", "));
        return items.size() > LISTED ? shown + " and " + (items.size() - LISTED) + " more" : shown;
    }
}
