package io.keel.meta.raft;

import io.keel.meta.shard.ShardGroups;
import io.keel.meta.store.KvReader;
import io.keel.meta.store.ReplicatedLogic;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.GroupManagementRequest;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.SetConfigurationRequest;
import org.apache.ratis.protocol.SnapshotManagementRequest;
import org.apache.ratis.protocol.exceptions.ReconfigurationInProgressException;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.util.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica of the metadata Raft group: a Ratis server (netty) hosting a {@link ReplicatedLogic}
 * over RocksDB. Layout under {@code storageDir}: {@code raft/<groupId>/} (Ratis log, metadata and
 * {@code sm/} snapshots) and {@code rocks/} (the live applied state). The same Ratis server may also
 * host object index shards, each a Raft group of its own ({@link #hostShard}, {@link ShardHosting}).
 *
 * <p><b>Adding members.</b> Start the new member with {@code start(List.of())} and then call
 * {@link #setMembers} on the leader. A member formatted with a configuration that contains itself
 * campaigns as soon as its election timeout fires; if several such joiners form a majority of that
 * configuration (e.g. growing 1 to 3 with both joiners started with the full list) they can elect
 * one of themselves with an empty log, in the same term as the real leader. Starting joiners with
 * no configuration rules that out: they stay silent until the leader replicates a configuration
 * that includes them. Passing the full new membership is only safe when the joiners are a minority
 * of it (e.g. adding one member to a group of two or more).
 *
 * <p>Indexes: Ratis also logs configuration entries and, by default, commit-index metadata entries,
 * so log indexes of consecutive commands are not consecutive; {@link #appliedIndex()} counts them all.
 */
public final class MetadataServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetadataServer.class);

    private final String nodeId;
    private final Path storageDir;
    private final String bindHost;
    private final int port;
    private final RaftGroupId groupId;
    private final ReplicatedLogic logic;
    private final RaftTuning tuning;
    private final ClientId adminClientId = ClientId.randomId();
    private final AtomicLong callIds = new AtomicLong();
    private final ShardHosting shards;

    private volatile RaftServer server;
    private volatile MetaStateMachine stateMachine;
    private volatile boolean closed;

    public MetadataServer(String nodeId, Path storageDir, String bindHost, int port, String groupId,
            ReplicatedLogic logic, RaftTuning tuning) {
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
        this.storageDir = Objects.requireNonNull(storageDir, "storageDir");
        this.bindHost = Objects.requireNonNull(bindHost, "bindHost");
        this.groupId = RaftConfig.groupId(Objects.requireNonNull(groupId, "groupId"));
        this.logic = Objects.requireNonNull(logic, "logic");
        this.tuning = Objects.requireNonNull(tuning, "tuning");
        if (nodeId.isBlank()) {
            throw new IllegalArgumentException("nodeId must not be blank");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        this.port = port;
        this.shards = new ShardHosting(storageDir);
    }

    /**
     * Starts the Raft server.
     *
     * <ul>
     *   <li>If {@code storageDir} holds state for this group it is RECOVERED (log, snapshot, RocksDB);
     *       the configuration stored there wins and {@code initialPeers} only serves as a fallback.
     *   <li>Otherwise a new member is formatted. If {@code initialPeers} contains this node it becomes
     *       the initial configuration (bootstrap of a new group, or a joiner as long as joiners are a
     *       minority of that list). If it does not contain this node (e.g. an empty list), the member
     *       starts with no configuration: it never campaigns and waits for the leader's
     *       {@link #setMembers}. That is the safe way to add members, see the class notes.
     *   <li>If start fails (e.g. port in use) it may be called again with the same arguments: storage
     *       formatted by the failed attempt is then recovered, with {@code initialPeers} as the
     *       configuration because none was stored yet.
     * </ul>
     *
     * @throws IOException with the reason if the storage is corrupted or inconsistent, belongs to
     *     another group, or the server cannot start (e.g. port in use)
     */
    public synchronized void start(List<Peer> initialPeers) throws IOException {
        Objects.requireNonNull(initialPeers, "initialPeers");
        if (closed) {
            throw new IllegalStateException("MetadataServer " + nodeId + " is closed; create a new instance");
        }
        if (server != null) {
            throw new IllegalStateException("MetadataServer " + nodeId + " is already started");
        }
        List<RaftPeer> peers = RaftConfig.toRaft(initialPeers);
        initialPeers.stream().filter(p -> p.id().equals(nodeId) && p.port() != port).findAny().ifPresent(p -> {
            throw new IllegalArgumentException("initialPeers lists " + nodeId + " on port " + p.port()
                    + " but this server binds port " + port);
        });
        Path raftDir = storageDir.resolve("raft");
        Path rocksDir = storageDir.resolve("rocks");
        shards.loadKnown();
        boolean recover = checkStorage(raftDir, rocksDir);
        boolean containsSelf = initialPeers.stream().anyMatch(p -> p.id().equals(nodeId));
        List<RaftPeer> conf = recover || containsSelf ? peers : List.of();

        MetaStateMachine sm = new MetaStateMachine(logic, rocksDir);
        RaftServer s = null;
        try {
            s = RaftServer.newBuilder()
                    .setServerId(RaftPeerId.valueOf(nodeId))
                    .setGroup(RaftGroup.valueOf(groupId, conf))
                    // One server, several groups: the metadata group and the index shards (ADR 0041).
                    .setStateMachineRegistry(gid -> gid.equals(groupId) ? sm : shards.stateMachine(gid))
                    .setProperties(RaftConfig.server(raftDir, bindHost, port, tuning))
                    .setOption(recover ? RaftStorage.StartupOption.RECOVER : RaftStorage.StartupOption.FORMAT)
                    .build();
            s.start();
            s.getDivision(groupId);
        } catch (IOException | RuntimeException e) {
            if (s != null) {
                closeAfterFailedStart(s);
            }
            sm.close();
            shards.closeAll();
            throw new IOException("Cannot start metadata server " + nodeId + " on " + bindHost + ":" + port
                    + " from " + storageDir + " (" + (recover ? "recover" : "format") + "): " + rootMessage(e), e);
        }
        stateMachine = sm;
        server = s;
        LOG.info("Metadata server {} started ({}) on {}:{}", nodeId, recover ? "recovered" : "formatted", bindHost, port);
    }

    /** @return true if there is state to recover; throws if the storage is not usable. */
    private boolean checkStorage(Path raftDir, Path rocksDir) throws IOException {
        if (Files.exists(storageDir) && !Files.isDirectory(storageDir)) {
            throw new IOException("Metadata storage " + storageDir + " is not a directory");
        }
        Files.createDirectories(raftDir);
        Path groupDir = raftDir.resolve(groupId.getUuid().toString());
        List<String> others;
        try (Stream<Path> entries = Files.list(raftDir)) {
            others = entries.map(p -> p.getFileName().toString())
                    .filter(n -> !n.equals(groupDir.getFileName().toString()))
                    .filter(n -> !shards.isShardGroupDir(n))
                    .toList();
        }
        if (!others.isEmpty()) {
            throw new IOException("Metadata storage " + raftDir + " holds " + others + " besides group "
                    + groupId.getUuid() + ": it belongs to another group or is corrupted");
        }
        if (Files.exists(groupDir)) {
            if (!Files.isRegularFile(groupDir.resolve("current").resolve("raft-meta"))) {
                // Letting Ratis "recover" this would silently reformat it and forget votes and log.
                throw new IOException("Raft storage " + groupDir + " is empty or corrupted (no current/raft-meta);"
                        + " refusing to reformat it. Move " + storageDir + " away to rejoin as a new member.");
            }
            return true;
        }
        if (Files.isDirectory(rocksDir)) {
            try (Stream<Path> entries = Files.list(rocksDir)) {
                if (entries.findAny().isPresent()) {
                    throw new IOException("Metadata storage " + storageDir + " has RocksDB state but no Raft log for group "
                            + groupId.getUuid() + "; it is inconsistent or belongs to another group");
                }
            }
        }
        return false;
    }

    public boolean isRunning() {
        RaftServer s = server;
        if (s == null || closed || s.getLifeCycleState() != LifeCycle.State.RUNNING) {
            return false;
        }
        try {
            return s.getDivision(groupId).getInfo().isAlive();
        } catch (IOException e) {
            return false;
        }
    }

    /** The local replica's applied state (not linearizable: it may lag the leader). */
    public KvReader reader() {
        return requireStateMachine().reader();
    }

    /** The highest log index applied locally, counting configuration entries; -1 before anything. */
    public long appliedIndex() {
        MetaStateMachine sm = stateMachine;
        return sm == null ? -1 : sm.appliedIndex();
    }

    public boolean awaitApplied(long index, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        return requireStateMachine().awaitApplied(index, timeout);
    }

    public RaftStatus status() {
        return status(groupId);
    }

    private RaftStatus status(RaftGroupId gid) {
        RaftServer s = server;
        if (s == null || closed || !hosts(s, gid)) {
            return RaftStatus.stopped();
        }
        try {
            RaftServer.Division d = s.getDivision(gid);
            DivisionInfo info = d.getInfo();
            if (!info.isAlive()) {
                return RaftStatus.stopped();
            }
            RaftPeerId leader = info.getLeaderId();
            return new RaftStatus(info.getCurrentRole().name(), info.getCurrentTerm(),
                    d.getRaftLog().getLastCommittedIndex(), d.getStateMachine().getLastAppliedTermIndex().getIndex(),
                    leader == null ? null : leader.toString(),
                    RaftConfig.fromRaft(d.getRaftConf().getCurrentPeers()));
        } catch (IOException e) {
            return RaftStatus.stopped();
        }
    }

    /** True when this server is the leader and has committed an entry of its term (it can serve). */
    public boolean isLeader() {
        RaftServer s = server;
        if (s == null || closed) {
            return false;
        }
        try {
            DivisionInfo info = s.getDivision(groupId).getInfo();
            return info.isLeader() && info.isLeaderReady();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Leader only: makes the voting membership exactly {@code members}, blocking until the new
     * configuration is committed. Ratis refuses to add a majority of new members in one step
     * (RATIS-1912), so additions are made one at a time, then removals in a final step; each new
     * member must catch up (snapshot + log) before its step commits. If this fails midway the
     * membership is one of the intermediate steps: calling again with the same list resumes.
     *
     * @throws IllegalStateException if this server is not the leader when called
     * @throws IOException with the reason if a step is rejected, leadership is lost, or time runs out
     */
    public void setMembers(List<Peer> members, Duration timeout) throws IOException {
        Objects.requireNonNull(members, "members");
        Objects.requireNonNull(timeout, "timeout");
        if (members.isEmpty()) {
            throw new IllegalArgumentException("members must not be empty");
        }
        List<RaftPeer> target = RaftConfig.toRaft(members);
        RaftServer s = requireServer();
        if (!isLeader()) {
            throw new IllegalStateException("setMembers on " + nodeId + ", which is not the leader (leader: "
                    + status().leaderId() + ")");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, RaftPeer> current = new LinkedHashMap<>();
        for (RaftPeer p : s.getDivision(groupId).getRaftConf().getCurrentPeers()) {
            current.put(p.getId().toString(), p);
        }
        for (RaftPeer p : target) {
            if (!current.containsKey(p.getId().toString())) {
                current.put(p.getId().toString(), p);
                setConf(s, new ArrayList<>(current.values()), deadline);
            }
        }
        setConf(s, target, deadline);
    }

    private void setConf(RaftServer s, List<RaftPeer> peers, long deadline) throws IOException {
        while (true) {
            SetConfigurationRequest request = new SetConfigurationRequest(adminClientId, s.getId(), groupId,
                    callIds.incrementAndGet(), peers);
            RaftClientReply reply = await(s.setConfigurationAsync(request), deadline, "setConfiguration " + peers);
            if (reply.isSuccess()) {
                return;
            }
            // The leader's own start-up entry or a previous step may still be committing.
            if (reply.getException() instanceof ReconfigurationInProgressException && System.nanoTime() < deadline) {
                pause(100);
                continue;
            }
            throw new IOException("setConfiguration " + peers + " failed: " + reply.getException(), reply.getException());
        }
    }

    /**
     * Hosts the index shard {@code shardId} in this server, as a Raft group of its own beside the
     * metadata group (same process and port, its own log, snapshots and RocksDB; ADR 0041). Idempotent:
     * a shard already hosted is left alone (its stored membership wins over {@code members}), so the
     * node agent may call this on every member every few seconds. A member that lost its shard storage
     * rejoins empty and catches up from the leader, as a metadata joiner does while joiners are a
     * minority. Membership changes of a hosted shard are not supported yet.
     *
     * @param members every member of the shard, including this node on this server's port
     * @throws IOException if the shard's storage is unusable or Ratis refuses the group
     */
    public synchronized void hostShard(String shardId, List<Peer> members) throws IOException {
        ShardGroups.checkShardId(shardId);
        Objects.requireNonNull(members, "members");
        if (members.stream().noneMatch(p -> p.id().equals(nodeId) && p.port() == port)) {
            throw new IllegalArgumentException("shard " + shardId + " members " + members + " do not include "
                    + nodeId + " on port " + port);
        }
        List<RaftPeer> peers = RaftConfig.toRaft(members);
        RaftServer s = requireServer();
        RaftGroupId gid = ShardHosting.groupId(shardId);
        if (hosts(s, gid)) {
            return;
        }
        boolean recover = shards.prepare(shardId);
        GroupManagementRequest add = GroupManagementRequest.newAdd(adminClientId, s.getId(), callIds.incrementAndGet(),
                RaftGroup.valueOf(gid, peers), !recover);
        succeed(s.groupManagementAsync(add), deadline(), "host shard " + shardId);
        LOG.info("Metadata server {} hosts index shard {} ({})", nodeId, shardId, recover ? "recovered" : "formatted");
    }

    /**
     * Stops hosting {@code shardId} here and deletes its log, snapshots and state. Idempotent. The
     * other members still count this node as a member: dropping a shard on fewer than all its members
     * only makes sense when the shard is being retired everywhere or this member is being replaced.
     */
    public synchronized void dropShard(String shardId) throws IOException {
        ShardGroups.checkShardId(shardId);
        RaftServer s = requireServer();
        RaftGroupId gid = ShardHosting.groupId(shardId);
        if (hosts(s, gid)) {
            GroupManagementRequest remove = GroupManagementRequest.newRemove(adminClientId, s.getId(),
                    callIds.incrementAndGet(), gid, true, false);
            succeed(s.groupManagementAsync(remove), deadline(), "drop shard " + shardId);
        }
        shards.forget(shardId);
        LOG.info("Metadata server {} dropped index shard {}", nodeId, shardId);
    }

    /** The ids of the index shards this server hosts, sorted. */
    public List<String> hostedShards() {
        RaftServer s = server;
        if (s == null || closed) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (RaftGroupId gid : s.getGroupIds()) {
            shards.shardOf(gid).ifPresent(out::add);
        }
        return out.stream().sorted().toList();
    }

    /** The local replica of a hosted shard, like {@link #status()}; STOPPED when it is not hosted. */
    public RaftStatus shardStatus(String shardId) {
        ShardGroups.checkShardId(shardId);
        return status(ShardHosting.groupId(shardId));
    }

    /** The local replica's applied state of a hosted shard (not linearizable: it may lag the leader). */
    public KvReader shardReader(String shardId) {
        ShardGroups.checkShardId(shardId);
        return shards.machine(shardId).map(MetaStateMachine::reader)
                .orElseThrow(() -> new IllegalStateException("shard " + shardId + " is not hosted on " + nodeId));
    }

    /**
     * This server's member of a shard's group, for in-process calls while it leads (ADR 0054). It
     * answers empty once this server is closed.
     */
    public LocalLeader localShardLeader(String shardId) {
        ShardGroups.checkShardId(shardId);
        return new LocalLeader(() -> closed ? null : server, ShardHosting.groupId(shardId), tuning.requestTimeout());
    }

    /** Takes a snapshot of a hosted shard's applied state now, as {@link #takeSnapshot()} does for metadata. */
    public void takeShardSnapshot(String shardId) throws IOException {
        ShardGroups.checkShardId(shardId);
        takeSnapshot(ShardHosting.groupId(shardId));
    }

    private static boolean hosts(RaftServer s, RaftGroupId gid) {
        for (RaftGroupId g : s.getGroupIds()) {
            if (g.equals(gid)) {
                return true;
            }
        }
        return false;
    }

    private long deadline() {
        return System.nanoTime() + tuning.requestTimeout().multipliedBy(3).toNanos();
    }

    /** Takes a snapshot of the current applied state now (Ratis then purges the log up to it). */
    public void takeSnapshot() throws IOException {
        takeSnapshot(groupId);
    }

    private void takeSnapshot(RaftGroupId gid) throws IOException {
        RaftServer s = requireServer();
        long timeoutMs = tuning.requestTimeout().multipliedBy(10).toMillis();
        SnapshotManagementRequest request = SnapshotManagementRequest.newCreate(adminClientId, s.getId(), gid,
                callIds.incrementAndGet(), timeoutMs, 1);
        succeed(s.snapshotManagementAsync(request), System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs),
                "snapshot");
    }

    private void succeed(java.util.concurrent.CompletableFuture<RaftClientReply> future, long deadline, String what)
            throws IOException {
        RaftClientReply reply = await(future, deadline, what);
        if (!reply.isSuccess()) {
            throw new IOException(what + " on " + nodeId + " failed: " + reply.getException(), reply.getException());
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        RaftServer s = server;
        if (s != null) {
            closeQuietly(s);
        }
        MetaStateMachine sm = stateMachine;
        if (sm != null) {
            sm.close();
        }
        shards.closeAll();
        LOG.info("Metadata server {} closed", nodeId);
    }

    private RaftClientReply await(java.util.concurrent.CompletableFuture<RaftClientReply> future, long deadline,
            String what) throws IOException {
        try {
            return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new IOException(what + " on " + nodeId + " did not complete in time", e);
        } catch (ExecutionException e) {
            throw new IOException(what + " on " + nodeId + " failed: " + rootMessage(e), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(what + " on " + nodeId + " interrupted", e);
        }
    }

    private static void pause(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private RaftServer requireServer() {
        RaftServer s = server;
        if (s == null || closed) {
            throw new IllegalStateException("MetadataServer " + nodeId + " is not running");
        }
        return s;
    }

    private MetaStateMachine requireStateMachine() {
        MetaStateMachine sm = stateMachine;
        if (sm == null || closed) {
            throw new IllegalStateException("MetadataServer " + nodeId + " is not running");
        }
        return sm;
    }

    /**
     * Ratis puts a server whose start() threw an IOException back to state NEW, and close() on a NEW
     * server does nothing, which would leave the storage lock held and the port's event loops
     * running. So close the parts directly.
     */
    private void closeAfterFailedStart(RaftServer s) {
        try {
            s.getDivision(groupId).close();
        } catch (IOException | RuntimeException e) {
            LOG.debug("No division to close after failed start of {}", nodeId, e);
        }
        try {
            s.getServerRpc().close();
        } catch (IOException | RuntimeException e) {
            LOG.debug("Error closing RPC after failed start of {}", nodeId, e);
        }
        closeQuietly(s);
    }

    private static void closeQuietly(RaftServer s) {
        try {
            s.close();
        } catch (IOException | RuntimeException e) {
            LOG.warn("Error closing Raft server {}", s.getId(), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException || t.getMessage() == null)
                && t.getCause() != null) {
            t = t.getCause();
        }
        StringBuilder sb = new StringBuilder(String.valueOf(t.getMessage()));
        for (Throwable c = t.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c.getMessage() != null && !sb.toString().contains(c.getMessage())) {
                sb.append("; caused by ").append(c.getMessage());
            }
        }
        return sb.toString();
    }
}
