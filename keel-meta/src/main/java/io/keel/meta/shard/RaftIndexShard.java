package io.keel.meta.shard;

import io.keel.meta.raft.LocalLeader;
import io.keel.meta.raft.MetaClient;
import io.keel.meta.raft.MetaCommandException;
import io.keel.meta.raft.MetaUnavailableException;
import io.keel.meta.raft.MetaUnavailableRuntimeException;
import io.keel.meta.raft.Peer;
import io.keel.meta.store.KvReader;
import io.keel.meta.store.Utf8Keys;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A client of one index shard's Raft group, usable from any node: it only dials the members.
 *
 * <p>A commit is one Raft write, or a member of one when commits arrive together (group commit,
 * {@link GroupCommitter}); {@link #get} and {@link #scan} are linearizable reads (ADR 0049). Leader changes are retried inside {@code requestTimeout} by Ratis, keeping the call id,
 * so a retried commit is applied at most once; past it the call fails with
 * {@link ShardUnavailableException} (after at most about twice the timeout, see {@link MetaClient}),
 * and a commit's outcome is then unknown: the caller re-reads before retrying.
 */
public final class RaftIndexShard implements IndexShard, AutoCloseable {
    /** Raft commands in flight at once; batches arriving meanwhile are grouped (ADR 0050). */
    static final int SENDERS = 8;

    private final String shardId;
    private final MetaClient client;
    private final KvReader reader;
    private final GroupCommitter committer;

    /**
     * @param members the shard's members (any subset that includes a live one will do, the leader is
     *     found from there)
     */
    public RaftIndexShard(String shardId, List<Peer> members, Duration requestTimeout) {
        this(shardId, members, requestTimeout, Optional::empty);
    }

    /**
     * @param local this node's member of the shard, if it hosts one: asked in-process while it
     *     leads (ADR 0054)
     */
    public RaftIndexShard(String shardId, List<Peer> members, Duration requestTimeout,
            Supplier<Optional<LocalLeader>> local) {
        this.shardId = ShardGroups.checkShardId(shardId);
        Objects.requireNonNull(members, "members");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        this.client = new MetaClient(ShardGroups.groupId(shardId).toString(), members, requestTimeout);
        client.preferLocal(Objects.requireNonNull(local, "local"));
        this.reader = client.remoteReader();
        this.committer = new GroupCommitter(shardId, SENDERS, this::submit);
    }

    @Override
    public String shardId() {
        return shardId;
    }

    @Override
    public Optional<byte[]> get(String key) throws ShardUnavailableException {
        Utf8Keys.encode(key);
        try {
            return reader.get(key);
        } catch (MetaUnavailableRuntimeException e) {
            throw unavailable("get", e);
        }
    }

    @Override
    public List<ShardEntry> scan(String from, String toExclusive, int limit) throws ShardUnavailableException {
        KvReader.checkRange(from, limit);
        Utf8Keys.encode(from);
        if (toExclusive != null) {
            Utf8Keys.encode(toExclusive);
        }
        try {
            return reader.range(from, toExclusive, limit).stream()
                    .map(e -> new ShardEntry(e.getKey(), e.getValue()))
                    .toList();
        } catch (MetaUnavailableRuntimeException e) {
            throw unavailable("scan", e);
        }
    }

    @Override
    public boolean commit(ShardBatch batch) throws ShardUnavailableException {
        return commitOutcome(batch) instanceof ShardOutcome.Applied;
    }

    /**
     * Like {@link #commit} but says which condition failed.
     *
     * @throws IllegalArgumentException if the shard rejected the batch (see {@link ShardOutcome.Rejected})
     */
    public ShardOutcome commitOutcome(ShardBatch batch) throws ShardUnavailableException {
        ShardOutcome outcome = committer.commit(ShardCodec.encode(batch));
        if (outcome instanceof ShardOutcome.Rejected r) {
            throw new IllegalArgumentException("shard " + shardId + " rejected the batch: " + r.reason());
        }
        return outcome;
    }

    /**
     * Dials these members from now on (e.g. after the shard's membership changed); calls in flight
     * finish on the old connection.
     */
    public void updateMembers(List<Peer> members) {
        client.updatePeers(members);
    }

    private byte[] submit(byte[] command) throws ShardUnavailableException {
        try {
            return client.submit(command).result();
        } catch (MetaUnavailableException e) {
            throw unavailable("commit", e);
        } catch (MetaCommandException e) {
            // ShardLogic answers every input with an outcome; a throw there is a bug on every replica.
            throw new IllegalStateException("shard " + shardId + " failed to apply a batch: " + e.getMessage(), e);
        }
    }

    private ShardUnavailableException unavailable(String what, Exception cause) {
        return new ShardUnavailableException(what + " on index shard " + shardId + ": " + cause.getMessage(), cause);
    }

    /** Releases the Raft client; calls in flight fail with an unknown outcome. */
    @Override
    public void close() {
        // The client first: senders blocked in a call fail now instead of holding up the close.
        client.close();
        committer.close();
    }
}
