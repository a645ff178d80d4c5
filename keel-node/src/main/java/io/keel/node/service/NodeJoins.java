package io.keel.node.service;

import io.keel.api.ApiException;
import io.keel.api.dto.JoinRequest;
import io.keel.api.dto.JoinResponse;
import io.keel.meta.cluster.ClusterCommand;
import io.keel.meta.cluster.ClusterInfo;
import io.keel.meta.cluster.ClusterState;
import io.keel.meta.cluster.JoinToken;
import io.keel.meta.cluster.Location;
import io.keel.meta.cluster.NodeRecord;
import io.keel.meta.cluster.Secrets;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admits a new node that presents the join token. The token is checked here first so that a
 * wrong one is refused without touching the metadata log, and again inside the replicated command
 * so that a rotation racing with a join cannot let an old token through.
 */
public final class NodeJoins {
    private static final Logger log = LoggerFactory.getLogger(NodeJoins.class);

    private final MetaGateway meta;
    private final Credentials credentials;
    private final String raftGroupId;
    private final Clock clock;

    public NodeJoins(MetaGateway meta, Credentials credentials, String raftGroupId, Clock clock) {
        this.meta = Objects.requireNonNull(meta, "meta");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.raftGroupId = Objects.requireNonNull(raftGroupId, "raftGroupId");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public JoinResponse join(JoinRequest req) {
        if (req == null || req.token() == null || req.name() == null || req.address() == null || req.inventory() == null) {
            throw ApiException.invalid("a join request needs token, name, address, apiPort, raftPort and inventory");
        }
        Validation.nodeName(req.name());
        checkPort("apiPort", req.apiPort());
        checkPort("raftPort", req.raftPort());
        ClusterState state = meta.state();
        ClusterInfo info = ClusterServiceImpl.initialised(state);
        JoinToken current = state.joinToken().orElseThrow(() -> forbidden("no join token has been issued"));
        if (!MessageDigest.isEqual(current.token().getBytes(StandardCharsets.UTF_8),
                req.token().getBytes(StandardCharsets.UTF_8))) {
            log.warn("join refused for node '{}' at {}: wrong or rotated token", req.name(), req.address());
            throw forbidden("join token is not valid (wrong, or rotated); get the current one with 'keel node token'");
        }
        if (current.expiredAt(clock.instant())) {
            throw forbidden("join token expired at " + current.expiresAt() + "; rotate it with 'keel node token rotate'");
        }
        String nodeId = UUID.randomUUID().toString();
        String secret = credentials.newNodeSecret();
        NodeRecord record = new NodeRecord(nodeId, req.name(), req.address(), req.apiPort(), req.raftPort(),
                Secrets.sha256Hex(secret), clock.instant(), false, false, Location.DEFAULT_RACK, req.inventory(), Map.of());
        meta.submit(new ClusterCommand.RegisterNode(req.token(), clock.instant(), record));
        log.info("node '{}' joined as {} from {}", req.name(), nodeId, req.address());
        ClusterState after = meta.state();
        return new JoinResponse(info.id(), nodeId, secret, raftGroupId,
                ClusterServiceImpl.peerViews(after, meta.members()));
    }

    private static void checkPort(String what, int port) {
        if (port < 1 || port > 65535) throw ApiException.invalid(what + " must be 1-65535, got " + port);
    }

    private static ApiException forbidden(String message) {
        return new ApiException(403, "forbidden", message);
    }
}
