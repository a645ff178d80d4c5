package io.keel.storage.volume;

import io.keel.storage.chunk.ChunkOperations;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a chunk a dead writer left dirty consistent again, for whichever part of a writable
 * handle meets it first: the open, a repair, or a write.
 */
final class EcResync {
    private static final Logger log = LoggerFactory.getLogger(EcResync.class);

    private final VolumeContext ctx;
    private final EcChunkIo io;
    private final LeaseKeeper lease;

    EcResync(VolumeContext ctx, EcChunkIo io, LeaseKeeper lease) {
        this.ctx = Objects.requireNonNull(ctx, "ctx");
        this.io = Objects.requireNonNull(io, "io");
        this.lease = Objects.requireNonNull(lease, "lease");
    }

    /**
     * Recomputes all parity of a dirty chunk from its data fragments and clears the mark; false
     * (nothing changed) when a data fragment is lost or cannot be read, since then the torn rows
     * cannot be told apart from good ones.
     */
    /** Call with the chunk's exclusive lock held. */
    boolean resync(ChunkEntry e) {
        for (int k = 0; k < io.data(); k++) {
            if (EcChunkIo.ref(e, k) == null) {
                return false;
            }
        }
        int size = io.stripes.fragmentSize();
        ByteBuffer[] d = new ByteBuffer[io.data()];
        List<ReplicaRef> data = new ArrayList<>();
        for (int k = 0; k < io.data(); k++) {
            d[k] = ByteBuffer.allocate(size);
            data.add(EcChunkIo.ref(e, k));
        }
        for (ReplicaIo.Outcome o : ctx.io.onEach(data, (r, ops) -> ops.read(EcChunkIo.id(e, r.fragment()), 0,
                d[r.fragment()].duplicate()))) {
            if (!o.ok()) {
                log.warn("volume {}: reading data fragment {} of dirty {} failed: {}", ctx.volumeId, o.replica(),
                        io.where(e.index()), o.error().toString());
                return false;
            }
        }
        ByteBuffer[] p = new ByteBuffer[io.fragments() - io.data()];
        Map<ReplicaRef, ByteBuffer> parity = new HashMap<>();
        for (int j = 0; j < p.length; j++) {
            p[j] = ByteBuffer.allocate(size);
            ReplicaRef r = EcChunkIo.ref(e, io.data() + j);
            if (r != null) {
                parity.put(r, p[j]);
            }
        }
        io.codec.encode(d, p);
        long epoch = lease.epoch();
        List<ReplicaIo.Outcome> outcomes = ctx.io.onEachAsync(List.copyOf(parity.keySet()), (r, ops) ->
                ops.writeAsync(EcChunkIo.id(e, r.fragment()), 0, parity.get(r), e.version(), epoch, true));
        List<ReplicaIo.Outcome> flushed = ctx.io.onAll(e.replicas(), ChunkOperations::flush);
        List<ReplicaRef> failed = new ArrayList<>();
        for (ReplicaIo.Outcome o : outcomes) {
            if (!o.ok()) {
                failed.add(o.replica());
            }
        }
        for (ReplicaIo.Outcome o : flushed) {
            if (!o.ok() && !failed.contains(o.replica())) {
                failed.add(o.replica());
            }
        }
        if (!failed.isEmpty()) {
            // A parity fragment that missed the rewrite no longer matches; a data one that failed its flush may not hold its data.
            io.drop(e.index(), failed, "recomputing the parity of the dirty chunk failed there");
        }
        lease.catalog(() -> {
            ctx.catalog.markDirty(lease.lease(), e.index(), false);
            return null;
        });
        ctx.put(EcChunkIo.withDirty(ctx.entry(e.index()), false));
        log.info("volume {}: recomputed the parity of {} left dirty by an earlier writer", ctx.volumeId,
                io.where(e.index()));
        return true;
    }
}
