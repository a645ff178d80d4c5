package io.keel.s3store.data;

import io.keel.storage.chunk.ChunkId;
import io.keel.storage.volume.CatalogConflictException;
import io.keel.storage.volume.ChunkAllocatedException;
import io.keel.storage.volume.ChunkEntry;
import io.keel.storage.volume.Lease;
import io.keel.storage.volume.LeaseHeldException;
import io.keel.storage.volume.LeaseLostException;
import io.keel.storage.volume.ReplicaRef;
import io.keel.storage.volume.VolumeCatalog;
import io.keel.storage.volume.VolumeLayout;
import io.keel.storage.volume.VolumeNotFoundException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Just enough of the metadata service's volume catalog for object data tests: volumes, leases with
 * epochs, chunk allocation and replica changes, with the catalog's refusals. No snapshots.
 */
final class FixtureCatalog implements VolumeCatalog {
    private final Clock clock = Clock.systemUTC();
    private final Map<String, Volume> volumes = new HashMap<>();

    private static final class Volume {
        final long size;
        final int chunkSize;
        final int replicas;
        final Map<Long, ChunkEntry> chunks = new HashMap<>();
        Lease lease;
        long epochs;

        Volume(long size, int chunkSize, int replicas) {
            this.size = size;
            this.chunkSize = chunkSize;
            this.replicas = replicas;
        }
    }

    synchronized void create(String volumeId, long size, int chunkSize, int replicas) {
        if (volumes.putIfAbsent(volumeId, new Volume(size, chunkSize, replicas)) != null) {
            throw new CatalogConflictException("volume " + volumeId + " exists");
        }
    }

    synchronized List<String> volumeIds() {
        return List.copyOf(volumes.keySet());
    }

    synchronized int allocatedChunks(String volumeId) {
        return volume(volumeId).chunks.size();
    }

    /** Ends the current lease as if its holder had crashed and stopped renewing. */
    synchronized void expire(String volumeId) {
        Volume v = volume(volumeId);
        if (v.lease != null) {
            Lease l = v.lease;
            v.lease = new Lease(l.volumeId(), l.holder(), l.epoch(), clock.instant().minusSeconds(1));
        }
    }

    private Volume volume(String volumeId) {
        Volume v = volumes.get(volumeId);
        if (v == null) {
            throw new VolumeNotFoundException(volumeId);
        }
        return v;
    }

    private Volume check(Lease lease) {
        Volume v = volume(lease.volumeId());
        if (v.lease == null || v.lease.epoch() != lease.epoch()) {
            throw new LeaseLostException(lease.volumeId(), lease.epoch(), "a newer lease exists");
        }
        return v;
    }

    @Override
    public synchronized VolumeLayout layout(String volumeId) {
        Volume v = volume(volumeId);
        return new VolumeLayout(volumeId, volumeId, v.size, v.chunkSize, v.replicas, v.chunks);
    }

    @Override
    public synchronized Lease acquire(String volumeId, String holder, boolean background, Duration ttl) {
        Volume v = volume(volumeId);
        Lease cur = v.lease;
        if (cur != null && cur.expiresAt().isAfter(clock.instant()) && !cur.holder().equals(holder)) {
            throw new LeaseHeldException(volumeId, cur.holder(), cur.expiresAt());
        }
        v.lease = new Lease(volumeId, holder, ++v.epochs, clock.instant().plus(ttl));
        return v.lease;
    }

    @Override
    public synchronized Lease renew(Lease lease, Duration ttl) {
        Volume v = check(lease);
        v.lease = new Lease(lease.volumeId(), lease.holder(), lease.epoch(), clock.instant().plus(ttl));
        return v.lease;
    }

    @Override
    public synchronized void release(Lease lease) {
        Volume v = volume(lease.volumeId());
        if (v.lease != null && v.lease.epoch() == lease.epoch()) {
            v.lease = null;
        }
    }

    @Override
    public synchronized ChunkEntry allocate(Lease lease, long index, List<ReplicaRef> replicas) {
        Volume v = check(lease);
        if (v.chunks.containsKey(index)) {
            throw new ChunkAllocatedException(lease.volumeId(), index);
        }
        ChunkEntry e = new ChunkEntry(index, new ChunkId(lease.volumeId(), index), 1, replicas);
        v.chunks.put(index, e);
        return e;
    }

    private ChunkEntry at(Volume v, long index, long expectedVersion) {
        ChunkEntry e = v.chunks.get(index);
        if (e == null || e.version() != expectedVersion) {
            throw new CatalogConflictException("chunk " + index + " is not at version " + expectedVersion);
        }
        return e;
    }

    @Override
    public synchronized long dropReplica(Lease lease, long index, long expectedVersion, ReplicaRef replica) {
        Volume v = check(lease);
        ChunkEntry e = at(v, index, expectedVersion);
        if (!e.replicas().contains(replica) || e.replicas().size() == 1) {
            throw new CatalogConflictException("cannot drop " + replica + " from chunk " + index);
        }
        List<ReplicaRef> left = new ArrayList<>(e.replicas());
        left.remove(replica);
        v.chunks.put(index, new ChunkEntry(index, e.chunk(), e.version() + 1, left));
        return e.version() + 1;
    }

    @Override
    public synchronized long addReplica(Lease lease, long index, long expectedVersion, ReplicaRef replica) {
        Volume v = check(lease);
        ChunkEntry e = at(v, index, expectedVersion);
        if (e.replicas().contains(replica)) {
            throw new CatalogConflictException(replica + " already holds chunk " + index);
        }
        List<ReplicaRef> more = new ArrayList<>(e.replicas());
        more.add(replica);
        v.chunks.put(index, new ChunkEntry(index, e.chunk(), e.version() + 1, more));
        return e.version() + 1;
    }

    @Override
    public ChunkEntry copyOnWrite(Lease lease, long index, String expectedSource, List<ReplicaRef> replicas) {
        throw new CatalogConflictException("data volumes in these tests have no snapshots");
    }
}
