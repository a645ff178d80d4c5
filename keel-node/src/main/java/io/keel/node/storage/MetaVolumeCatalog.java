package io.keel.node.storage;

import io.keel.api.ApiException;
import io.keel.meta.cluster.ChunkRecord;
import io.keel.meta.cluster.ChunkReplica;
import io.keel.meta.cluster.ClusterCommand;
import io.keel.meta.cluster.ClusterState;
import io.keel.meta.cluster.StoragePolicy;
import io.keel.meta.cluster.Volume;
import io.keel.meta.cluster.VolumeLease;
import io.keel.node.service.MetaGateway;
import io.keel.storage.chunk.ChunkId;
import io.keel.storage.volume.CatalogConflictException;
import io.keel.storage.volume.ChunkAllocatedException;
import io.keel.storage.volume.ChunkEntry;
import io.keel.storage.volume.ErasureShape;
import io.keel.storage.volume.Lease;
import io.keel.storage.volume.LeaseHeldException;
import io.keel.storage.volume.LeaseLostException;
import io.keel.storage.volume.ReplicaRef;
import io.keel.storage.volume.VolumeCatalog;
import io.keel.storage.volume.VolumeIoException;
import io.keel.storage.volume.VolumeLayout;
import io.keel.storage.volume.VolumeNotFoundException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The volume catalog kept in the replicated metadata: layouts are read from this node's view of
 * the state, changes are replicated commands, and the logic's refusals become the volume layer's
 * exceptions.
 */
public final class MetaVolumeCatalog implements VolumeCatalog {
    static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final Duration RETRY_PAUSE = Duration.ofMillis(500);
    private final MetaGateway meta;
    private final Supplier<ClusterState> state;
    private final Clock clock;

    public MetaVolumeCatalog(MetaGateway meta, Clock clock) {
        this(meta, meta::state, clock);
    }

    MetaVolumeCatalog(MetaGateway meta, Supplier<ClusterState> state, Clock clock) {
        this.meta = Objects.requireNonNull(meta, "meta");
        this.state = Objects.requireNonNull(state, "state");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public VolumeLayout layout(String volumeId) {
        ClusterState s = read();
        if (s.volume(volumeId).isEmpty()) {
            // Created through another node a moment ago: this node's replica may not have it yet.
            s = leader();
        }
        return layoutIn(s, volumeId);
    }

    @Override
    public VolumeLayout freshLayout(String volumeId) {
        return layoutIn(leader(), volumeId);
    }

    private static VolumeLayout layoutIn(ClusterState s, String volumeId) {
        Volume v = s.volume(volumeId).orElseThrow(() -> new VolumeNotFoundException(volumeId));
        StoragePolicy policy = s.policy(v.policy()).orElse(null);
        int replicas = policy == null ? 1 : policy.pieces();
        ErasureShape ec = policy != null && policy.ec() != null
                ? new ErasureShape(policy.ec().data(), policy.ec().parity()) : null;
        Map<Long, ChunkEntry> chunks = new HashMap<>();
        for (ChunkRecord r : s.chunks(v.id())) {
            chunks.put(r.index(), entry(r));
        }
        return new VolumeLayout(v.id(), v.storageId(), v.sizeBytes(), v.chunkSize(), replicas, chunks, ec);
    }

    @Override
    public Lease acquire(String volumeId, String holder, boolean background, Duration ttl) {
        Instant at = clock.instant();
        try {
            long epoch = Long.parseLong(meta.submit(
                    new ClusterCommand.AcquireLease(volumeId, holder, background, at, ttl.toMillis())));
            return new Lease(volumeId, holder, epoch, at.plus(ttl));
        } catch (ApiException e) {
            if ("conflict".equals(e.code())) {
                ClusterState s = read();
                Volume v = s.volume(volumeId).orElse(null);
                VolumeLease held = v == null ? null : v.lease();
                if (held != null) {
                    // Administrators know nodes and volumes by name.
                    String holderName = s.node(held.holder()).map(n -> "node " + n.name()).orElse(held.holder());
                    throw new LeaseHeldException(v.name(), holderName, held.expiresAt());
                }
            }
            throw translate(volumeId, e);
        }
    }

    @Override
    public Lease renew(Lease lease, Duration ttl) {
        Instant at = clock.instant();
        submit(lease, new ClusterCommand.RenewLease(lease.volumeId(), lease.epoch(), at, ttl.toMillis()));
        return new Lease(lease.volumeId(), lease.holder(), lease.epoch(), at.plus(ttl));
    }

    @Override
    public void release(Lease lease) {
        try {
            meta.submit(new ClusterCommand.ReleaseLease(lease.volumeId(), lease.epoch()));
        } catch (ApiException e) {
            if (!"conflict".equals(e.code()) && !"not_found".equals(e.code())) {
                throw translate(lease.volumeId(), e);
            }
        }
    }

    @Override
    public ChunkEntry allocate(Lease lease, long index, List<ReplicaRef> replicas) {
        try {
            patiently(new ClusterCommand.AllocateChunk(lease.volumeId(), index, lease.epoch(), toMeta(replicas)));
        } catch (ApiException e) {
            if ("conflict".equals(e.code()) && e.getMessage().contains("already allocated")) {
                throw new ChunkAllocatedException(lease.volumeId(), index);
            }
            throw leaseOr(lease, e);
        }
        return chunk(lease.volumeId(), index);
    }

    @Override
    public long dropReplica(Lease lease, long index, long expectedVersion, ReplicaRef replica) {
        return Long.parseLong(submit(lease, new ClusterCommand.DropReplica(lease.volumeId(), index, lease.epoch(),
                expectedVersion, toMeta(replica))));
    }

    @Override
    public long addReplica(Lease lease, long index, long expectedVersion, ReplicaRef replica) {
        return Long.parseLong(submit(lease, new ClusterCommand.AddReplica(lease.volumeId(), index, lease.epoch(),
                expectedVersion, toMeta(replica))));
    }

    @Override
    public ChunkEntry copyOnWrite(Lease lease, long index, String expectedSource, List<ReplicaRef> replicas) {
        submit(lease, new ClusterCommand.CopyChunk(lease.volumeId(), index, lease.epoch(), expectedSource,
                toMeta(replicas)));
        return chunk(lease.volumeId(), index);
    }

    @Override
    public void markDirty(Lease lease, long index, boolean dirty) {
        submit(lease, new ClusterCommand.MarkChunkDirty(lease.volumeId(), index, lease.epoch(), dirty));
    }

    private ChunkEntry chunk(String volumeId, long index) {
        return read().chunk(volumeId, index).map(MetaVolumeCatalog::entry)
                .orElseThrow(() -> new CatalogConflictException("chunk " + index + " of volume " + volumeId
                        + " vanished right after it was recorded"));
    }

    private String submit(Lease lease, ClusterCommand command) {
        try {
            return patiently(command);
        } catch (ApiException e) {
            throw leaseOr(lease, e);
        }
    }

    /**
     * Submits, retrying while the metadata group has no leader (an election, a member joining):
     * a block client copes with a slow write far better than with an I/O error, which makes a
     * guest's filesystem read-only. Gives up after {@link #PATIENCE}.
     */
    private String patiently(ClusterCommand command) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            try {
                return meta.submit(command);
            } catch (ApiException e) {
                if (!"quorum_lost".equals(e.code()) || System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(RETRY_PAUSE.toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** A conflict that names the lease means this writer was fenced; others are version races. */
    private static RuntimeException leaseOr(Lease lease, ApiException e) {
        if ("conflict".equals(e.code()) && e.getMessage().contains("write lease")) {
            return new LeaseLostException(lease.volumeId(), lease.epoch(), e.getMessage());
        }
        return translate(lease.volumeId(), e);
    }

    private static RuntimeException translate(String volumeId, ApiException e) {
        return switch (e.code()) {
            case "not_found" -> e.getMessage().contains("volume") && !e.getMessage().contains("chunk")
                    ? new VolumeNotFoundException(volumeId)
                    : new CatalogConflictException(e.getMessage());
            case "conflict" -> new CatalogConflictException(e.getMessage());
            case "invalid" -> new VolumeIoException(VolumeIoException.Kind.EINVAL, e.getMessage(), e);
            default -> new VolumeIoException(VolumeIoException.Kind.EIO,
                    "metadata service unavailable for volume " + volumeId + ": " + e.getMessage(), e);
        };
    }

    private ClusterState read() {
        try {
            return state.get();
        } catch (ApiException e) {
            throw new VolumeIoException(VolumeIoException.Kind.EIO, "metadata unavailable: " + e.getMessage(), e);
        }
    }

    private ClusterState leader() {
        try {
            return meta.leaderState();
        } catch (ApiException e) {
            throw new VolumeIoException(VolumeIoException.Kind.EIO, "metadata unavailable: " + e.getMessage(), e);
        }
    }

    static ChunkEntry entry(ChunkRecord r) {
        return new ChunkEntry(r.index(), new ChunkId(r.storageId(), r.index()), r.version(),
                r.replicas().stream().map(MetaVolumeCatalog::toRef).toList(), r.isDirty());
    }

    static ReplicaRef toRef(ChunkReplica r) {
        return new ReplicaRef(r.nodeId(), r.diskId(), r.fragment() == null ? ReplicaRef.WHOLE : r.fragment());
    }

    static ChunkReplica toMeta(ReplicaRef r) {
        return new ChunkReplica(r.nodeId(), r.diskId(), r.fragment() == ReplicaRef.WHOLE ? null : r.fragment());
    }

    static List<ChunkReplica> toMeta(List<ReplicaRef> rs) {
        return rs.stream().map(MetaVolumeCatalog::toMeta).toList();
    }
}
