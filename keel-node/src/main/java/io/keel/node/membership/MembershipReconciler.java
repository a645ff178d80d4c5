package io.keel.node.membership;

import io.keel.meta.cluster.ClusterState;
import io.keel.meta.cluster.NodeRecord;
import io.keel.meta.raft.MetadataServer;
import io.keel.meta.raft.Peer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs on the metadata leader: makes the Raft membership follow the disk roles. The desired
 * members are the nodes with a metadata disk (at most five). A new member is added only once its
 * metadata service answers on its Raft port, so an addition never leaves the group waiting on a
 * member that is not there; members that are down stay until their role is taken away, because
 * a node that is down for a while is expected back.
 */
public final class MembershipReconciler {
    private static final Logger log = LoggerFactory.getLogger(MembershipReconciler.class);
    private static final Duration PROBE_TIMEOUT = Duration.ofMillis(300);
    private static final Duration CHANGE_TIMEOUT = Duration.ofSeconds(15);
    public static final int MAX_MEMBERS = 5;

    public static List<Peer> desired(ClusterState state) {
        return state.metadataNodes().stream().limit(MAX_MEMBERS).map(MembershipReconciler::peer).toList();
    }

    public static Peer peer(NodeRecord n) {
        return new Peer(n.id(), n.address(), n.raftPort());
    }

    /** One step; returns true when it changed the membership. */
    public boolean reconcile(MetadataServer server, ClusterState state) {
        if (!server.isLeader()) {
            return false;
        }
        List<Peer> desired = desired(state);
        if (desired.isEmpty()) {
            return false;
        }
        Set<String> current = server.status().members().stream().map(Peer::id).collect(Collectors.toSet());
        List<Peer> target = desired.stream().filter(p -> current.contains(p.id()) || reachable(p)).toList();
        Set<String> targetIds = target.stream().map(Peer::id).collect(Collectors.toSet());
        if (targetIds.equals(current) || target.isEmpty()) {
            return false;
        }
        try {
            log.info("changing metadata membership from {} to {}", current, targetIds);
            server.setMembers(target, CHANGE_TIMEOUT);
            log.info("metadata membership is now {}", targetIds);
            return true;
        } catch (IOException | RuntimeException e) {
            log.warn("metadata membership change to {} failed, will retry: {}", targetIds, e.getMessage());
            return false;
        }
    }

    private static boolean reachable(Peer p) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(p.host(), p.port()), (int) PROBE_TIMEOUT.toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
