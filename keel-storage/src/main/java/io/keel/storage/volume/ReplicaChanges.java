package io.keel.storage.volume;

import io.keel.storage.chunk.ChunkId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changes to a chunk's replica set, in the order that keeps a returning replica recognisable:
 * the catalog first (version + 1), then the survivors' stored versions. Callers hold the chunk's
 * exclusive lock.
 */
final class ReplicaChanges {
    private static final Logger log = LoggerFactory.getLogger(ReplicaChanges.class);
    private static final int MAX_CONFLICTS = 3;

    private final VolumeContext ctx;
    private final LeaseKeeper lease;

    ReplicaChanges(VolumeContext ctx, LeaseKeeper lease) {
        this.ctx = Objects.requireNonNull(ctx, "ctx");
        this.lease = Objects.requireNonNull(lease, "lease");
    }

    /**
     * Drops {@code bad} replicas of chunk {@code index} and raises the survivors' versions; a
     * survivor that cannot be raised is dropped as well. Never drops the last replica.
     *
     * @throws VolumeIoException of kind EIO if only the last replica would be left to drop
     */
    ChunkEntry drop(long index, Collection<ReplicaRef> bad, String reason) {
        ChunkEntry e = ctx.entry(index);
        Deque<ReplicaRef> todo = new ArrayDeque<>(bad);
        List<ReplicaRef> behind = new ArrayList<>();
        int conflicts = 0;
        while (e != null && !todo.isEmpty()) {
            ReplicaRef r = todo.poll();
            if (!e.replicas().contains(r)) {
                continue;
            }
            if (e.replicas().size() == 1) {
                throw new VolumeIoException(VolumeIoException.Kind.EIO, "chunk " + index + " of volume "
                        + ctx.volumeId + " would lose its last replica " + r + ": " + reason);
            }
            ChunkEntry current = e;
            long v;
            try {
                v = lease.catalog(() -> ctx.catalog.dropReplica(lease.lease(), index, current.version(), r));
            } catch (CatalogConflictException c) {
                if (++conflicts > MAX_CONFLICTS) {
                    throw c;
                }
                e = ctx.reloadEntry(index);
                todo.addFirst(r);
                continue;
            }
            e = new ChunkEntry(index, e.chunk(), v, without(e.replicas(), r));
            ctx.put(e);
            ctx.stats.replicaDropped();
            log.warn("volume {} chunk {}: dropped replica {} (chunk version now {}): {}", ctx.volumeId, index, r, v,
                    behind.contains(r) ? "could not raise its version after another replica was dropped" : reason);
            if (todo.isEmpty()) {
                behind.addAll(raise(e));
                todo.addAll(behind);
            }
        }
        return e;
    }

    /** Adds {@code replica}, which already holds the data at the entry's version, then raises everyone. */
    ChunkEntry add(long index, ReplicaRef replica) {
        ChunkEntry e = ctx.entry(index);
        long v = lease.catalog(() -> ctx.catalog.addReplica(lease.lease(), index, e.version(), replica));
        List<ReplicaRef> replicas = new ArrayList<>(e.replicas());
        replicas.add(replica);
        ChunkEntry added = new ChunkEntry(index, e.chunk(), v, replicas);
        ctx.put(added);
        log.info("volume {} chunk {}: added replica {} (chunk version now {})", ctx.volumeId, index, replica, v);
        List<ReplicaRef> behind = raise(added);
        return behind.isEmpty() ? added : drop(index, behind, "could not raise its version to " + v);
    }

    /** Sets every replica's stored version to the entry's; returns those that failed. */
    private List<ReplicaRef> raise(ChunkEntry e) {
        ChunkId id = e.chunk();
        List<ReplicaRef> failed = new ArrayList<>();
        List<ReplicaRef> targets = new ArrayList<>(e.replicas());
        targets.addAll(ctx.rebuilding(e.index()));
        for (ReplicaIo.Outcome o : ctx.io.onAll(targets, ops -> ops.setVersion(id, e.version()))) {
            if (!o.ok() && !e.replicas().contains(o.replica())) {
                log.warn("volume {} chunk {}: raising the copy being rebuilt on {} failed, abandoning it: {}",
                        ctx.volumeId, e.index(), o.replica(), o.error().toString());
                ctx.stopRebuilding(e.index(), o.replica());
            } else if (!o.ok()) {
                log.warn("volume {} chunk {}: raising replica {} to version {} failed: {}", ctx.volumeId, e.index(),
                        o.replica(), e.version(), o.error().toString());
                failed.add(o.replica());
            }
        }
        return failed;
    }

    static List<ReplicaRef> without(List<ReplicaRef> replicas, ReplicaRef r) {
        List<ReplicaRef> out = new ArrayList<>(replicas);
        out.remove(r);
        return out;
    }
}
