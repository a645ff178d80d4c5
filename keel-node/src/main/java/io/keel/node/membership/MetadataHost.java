package io.keel.node.membership;

import io.keel.meta.raft.MetadataServer;
import io.keel.meta.raft.Peer;
import io.keel.meta.raft.RaftTuning;
import io.keel.meta.store.ReplicatedLogic;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metadata service of this node, when it has one. A node runs it from bootstrap, or from the
 * moment one of its disks gets a metadata role; once it has state on disk it is started again
 * after every restart.
 */
public final class MetadataHost implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MetadataHost.class);

    private final String nodeId;
    private final Path dir;
    private final String bindHost;
    private final int raftPort;
    private final String groupId;
    private final ReplicatedLogic logic;
    private final RaftTuning tuning;
    private volatile MetadataServer server;

    public MetadataHost(String nodeId, Path dir, String bindHost, int raftPort, String groupId,
            ReplicatedLogic logic, RaftTuning tuning) {
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
        this.dir = Objects.requireNonNull(dir, "dir");
        this.bindHost = Objects.requireNonNull(bindHost, "bindHost");
        this.raftPort = raftPort;
        this.groupId = Objects.requireNonNull(groupId, "groupId");
        this.logic = Objects.requireNonNull(logic, "logic");
        this.tuning = Objects.requireNonNull(tuning, "tuning");
    }

    /** True when this node has been a metadata member before: its replica is on disk. */
    public boolean hasState() {
        try (var entries = Files.list(dir)) {
            return entries.findAny().isPresent();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Starts the metadata service unless it runs. {@code initialPeers} matter only for a member
     * without state: the new membership it will be part of once the leader adds it.
     */
    public synchronized MetadataServer ensureStarted(List<Peer> initialPeers) throws IOException {
        if (server != null) {
            return server;
        }
        Files.createDirectories(dir);
        MetadataServer s = new MetadataServer(nodeId, dir, bindHost, raftPort, groupId, logic, tuning);
        s.start(initialPeers);
        log.info("metadata service started on {}:{} (group {})", bindHost, raftPort, groupId);
        server = s;
        return s;
    }

    public Optional<MetadataServer> server() {
        return Optional.ofNullable(server);
    }

    /** Stops the service and deletes its replica: for a node that is no longer a member. */
    public synchronized void discard() throws IOException {
        close();
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                if (!p.equals(dir)) {
                    Files.delete(p);
                }
            }
        }
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
