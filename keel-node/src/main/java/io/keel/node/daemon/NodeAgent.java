package io.keel.node.daemon;

import io.keel.api.ApiException;
import io.keel.api.dto.PeerView;
import io.keel.meta.cluster.ClusterCommand;
import io.keel.meta.cluster.ClusterState;
import io.keel.meta.cluster.Inventory;
import io.keel.meta.cluster.NodeRecord;
import io.keel.meta.raft.MetaClient;
import io.keel.meta.raft.MetadataServer;
import io.keel.meta.raft.Peer;
import io.keel.node.membership.MembershipReconciler;
import io.keel.node.membership.MetadataHost;
import io.keel.node.service.MetaGateway;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's periodic housekeeping, one tick per heartbeat interval: report a changed inventory,
 * start the local metadata service once a metadata role is assigned, keep the known metadata
 * peers current (in memory and in the identity file), and, on the leader, reconcile membership.
 */
final class NodeAgent {
    private static final Logger log = LoggerFactory.getLogger(NodeAgent.class);

    private final String selfId;
    private final Path dataDir;
    private final MetaGateway meta;
    private final MetadataHost host;
    private final MetaClient client;
    private final MembershipReconciler reconciler;
    private final Inventory inventory;
    private final PeerBook peers;
    private NodeIdentity identity;
    private boolean inventoryReported;

    NodeAgent(NodeIdentity identity, PeerBook peers, Path dataDir, MetaGateway meta, MetadataHost host,
            MetaClient client, MembershipReconciler reconciler, Inventory inventory) {
        this.identity = Objects.requireNonNull(identity, "identity");
        this.peers = Objects.requireNonNull(peers, "peers");
        this.selfId = identity.nodeId();
        this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
        this.meta = Objects.requireNonNull(meta, "meta");
        this.host = Objects.requireNonNull(host, "host");
        this.client = Objects.requireNonNull(client, "client");
        this.reconciler = Objects.requireNonNull(reconciler, "reconciler");
        this.inventory = Objects.requireNonNull(inventory, "inventory");
    }

    /** Returns the state this tick read, for the node's other periodic work. */
    Optional<ClusterState> tick() {
        ClusterState state;
        Optional<NodeRecord> me;
        try {
            state = meta.state();
            me = state.node(selfId);
        } catch (ApiException e) {
            log.debug("metadata not readable this tick: {}", e.getMessage());
            return Optional.empty();
        }
        if (me.isEmpty()) {
            return Optional.empty();
        }
        try {
            reportInventory(me.get());
            startMetadataIfAssigned(me.get(), state);
            stopMetadataIfRemoved(me.get());
            refreshPeers(state);
            host.server().ifPresent(s -> reconciler.reconcile(s, state));
        } catch (ApiException e) {
            log.debug("agent tick incomplete: {}", e.getMessage());
        } catch (IOException | RuntimeException e) {
            log.warn("agent tick failed: {}", e.toString());
        }
        return Optional.of(state);
    }

    private void reportInventory(NodeRecord me) {
        if (inventoryReported) {
            return;
        }
        if (!me.inventory().equals(inventory)) {
            meta.submit(new ClusterCommand.UpdateInventory(selfId, inventory));
            log.info("reported changed inventory");
        }
        inventoryReported = true;
    }

    private void startMetadataIfAssigned(NodeRecord me, ClusterState state) throws IOException {
        if (me.hasMetadataRole() && host.server().isEmpty()) {
            // A new member starts with no configuration and stays silent until the leader's
            // configuration includes it: with itself in its own configuration, two new members
            // could outvote the old group and elect a second leader with an empty log.
            log.info("this node has a metadata role: starting its metadata service");
            host.ensureStarted(List.of());
        }
    }

    /**
     * Once this node's metadata role is gone and the leader has taken it out of the Raft
     * configuration, its replica would only go stale: stop the service and discard the replica, so
     * that reads go to the group again. A member not yet added has the role, so it is never hit.
     */
    private void stopMetadataIfRemoved(NodeRecord me) throws IOException {
        Optional<MetadataServer> server = host.server();
        if (server.isEmpty() || me.hasMetadataRole()) {
            return;
        }
        List<Peer> members = server.get().status().members();
        if (members.isEmpty() || members.stream().anyMatch(p -> p.id().equals(selfId))) {
            return;
        }
        log.info("this node left the metadata group: stopping its metadata service and discarding its replica");
        host.discard();
    }

    /** Known peers: the Raft configuration (when local) plus the desired members, so joins reach either. */
    private void refreshPeers(ClusterState state) throws IOException {
        Map<String, PeerView> known = new LinkedHashMap<>();
        List<Peer> members = host.server().map(MetadataServer::status).map(s -> s.members()).orElse(List.of());
        for (Peer p : members) {
            known.put(p.id(), toView(p, state));
        }
        for (Peer p : MembershipReconciler.desired(state)) {
            known.putIfAbsent(p.id(), toView(p, state));
        }
        if (known.isEmpty()) {
            return;
        }
        List<PeerView> now = List.copyOf(known.values());
        if (!now.equals(peers.views())) {
            identity = identity.withPeers(now);
            identity.save(dataDir);
            peers.set(now);
            client.updatePeers(peers.current());
            log.info("metadata peers now {}", now.stream().map(PeerView::nodeId).toList());
        }
    }

    private static PeerView toView(Peer p, ClusterState state) {
        int apiPort = state.node(p.id()).map(NodeRecord::apiPort).orElse(0);
        return new PeerView(p.id(), p.host(), apiPort, p.port());
    }
}
