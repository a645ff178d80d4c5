package io.keel.storage.volume;

import io.keel.storage.chunk.ChunkId;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** A model of the metadata service's volume catalog, with the same refusals, for tests. */
final class InMemoryCatalog implements VolumeCatalog {
    private final Clock clock;
    private final Map<String, Volume> volumes = new HashMap<>();

    private static final class Volume {
        final String id;
        String storageId;
        int generation;
        final boolean snapshot;
        final long size;
        final int chunkSize;
        final int replicas;
        ErasureShape ec;
        final Map<Long, ChunkEntry> chunks = new HashMap<>();
        Lease lease;
        boolean background;
        long highestEpoch;

        Volume(String id, String storageId, long size, int chunkSize, int replicas, boolean snapshot) {
            this.id = id;
            this.snapshot = snapshot;
            this.storageId = storageId;
            this.size = size;
            this.chunkSize = chunkSize;
            this.replicas = replicas;
        }
    }

    InMemoryCatalog(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    synchronized void create(String volumeId, String storageId, long size, int chunkSize, int replicas) {
        volumes.put(volumeId, new Volume(volumeId, storageId, size, chunkSize, replicas, false));
    }

    /** An erasure-coded volume: one service per fragment, so its replica count is M + N. */
    synchronized void create(String volumeId, String storageId, long size, int chunkSize, ErasureShape ec) {
        Volume v = new Volume(volumeId, storageId, size, chunkSize, ec.fragments(), false);
        v.ec = ec;
        volumes.put(volumeId, v);
    }

    /** Sets a chunk's dirty mark behind every writer's back, as a writer that died mid-stripe leaves it. */
    synchronized void setDirty(String volumeId, long index, boolean dirty) {
        Volume v = volume(volumeId);
        ChunkEntry e = v.chunks.get(index);
        v.chunks.put(index, new ChunkEntry(index, e.chunk(), e.version(), e.replicas(), dirty));
    }

    /**
     * Takes snapshot {@code snapshotId} of a volume the way CreateSnapshot does: the map is copied,
     * the volume gets a new storage id. {@code epoch} is the quiescing writer's, or 0 for a volume
     * nobody writes.
     */
    synchronized void snapshot(String volumeId, String snapshotId, long epoch) {
        Volume v = volume(volumeId);
        if (v.snapshot || volumes.containsKey(snapshotId)) {
            throw new CatalogConflictException("cannot snapshot " + volumeId + " as " + snapshotId);
        }
        Lease cur = v.lease;
        boolean live = cur != null && !v.background && cur.expiresAt().isAfter(clock.instant());
        if (epoch != 0 ? cur == null || cur.epoch() != epoch : live) {
            throw new CatalogConflictException("volume " + volumeId + " is written under another lease");
        }
        Volume s = new Volume(snapshotId, snapshotId + "-0", v.size, v.chunkSize, v.replicas, true);
        s.chunks.putAll(v.chunks);
        volumes.put(snapshotId, s);
        v.generation++;
        v.storageId = v.id + "-g" + v.generation;
    }

    /** Creates volume {@code cloneId} sharing every chunk of snapshot {@code snapshotId}, as CloneVolume does. */
    synchronized void cloneVolume(String snapshotId, String cloneId) {
        Volume s = volume(snapshotId);
        if (!s.snapshot || volumes.containsKey(cloneId)) {
            throw new CatalogConflictException("cannot clone " + snapshotId + " as " + cloneId);
        }
        Volume c = new Volume(cloneId, cloneId + "-0", s.size, s.chunkSize, s.replicas, false);
        c.chunks.putAll(s.chunks);
        volumes.put(cloneId, c);
    }

    /** Makes a volume nobody writes what it was at snapshot {@code snapshotId}, as RevertVolume does. */
    synchronized void revert(String volumeId, String snapshotId) {
        Volume v = volume(volumeId);
        Volume s = volume(snapshotId);
        if (v.lease != null && v.lease.expiresAt().isAfter(clock.instant())) {
            throw new CatalogConflictException("volume " + volumeId + " is open");
        }
        v.chunks.clear();
        v.chunks.putAll(s.chunks);
        v.generation++;
        v.storageId = v.id + "-g" + v.generation;
    }

    /** Sets an entry directly, as a snapshot or clone would. */
    synchronized void put(String volumeId, ChunkEntry e) {
        volume(volumeId).chunks.put(e.index(), e);
    }

    synchronized ChunkEntry entry(String volumeId, long index) {
        return volume(volumeId).chunks.get(index);
    }

    /** Lets the current lease run out, as if its holder had stopped renewing. */
    synchronized void expire(String volumeId) {
        Volume v = volume(volumeId);
        if (v.lease != null) {
            Lease l = v.lease;
            v.lease = new Lease(l.volumeId(), l.holder(), l.epoch(), clock.instant().minusSeconds(1));
        }
    }

    synchronized Lease lease(String volumeId) {
        return volume(volumeId).lease;
    }

    private Volume volume(String volumeId) {
        Volume v = volumes.get(volumeId);
        if (v == null) {
            throw new VolumeNotFoundException(volumeId);
        }
        return v;
    }

    @Override
    public synchronized VolumeLayout layout(String volumeId) {
        Volume v = volume(volumeId);
        return new VolumeLayout(v.id, v.storageId, v.size, v.chunkSize, v.replicas, v.chunks, v.ec);
    }

    @Override
    public synchronized Lease acquire(String volumeId, String holder, boolean background, Duration ttl) {
        Volume v = volume(volumeId);
        if (v.snapshot && !background) {
            throw new IllegalStateException("snapshot " + volumeId + " cannot be opened for writing");
        }
        Lease cur = v.lease;
        boolean live = cur != null && cur.expiresAt().isAfter(clock.instant());
        if (live && !cur.holder().equals(holder) && !(v.background && !background)) {
            throw new LeaseHeldException(volumeId, cur.holder(), cur.expiresAt());
        }
        v.lease = new Lease(volumeId, holder, ++v.highestEpoch, clock.instant().plus(ttl));
        v.background = background;
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

    private Volume check(Lease lease) {
        Volume v = volume(lease.volumeId());
        if (v.lease == null || v.lease.epoch() != lease.epoch()) {
            throw new LeaseLostException(lease.volumeId(), lease.epoch(), "the volume has a newer lease");
        }
        return v;
    }

    @Override
    public synchronized ChunkEntry allocate(Lease lease, long index, List<ReplicaRef> replicas) {
        Volume v = check(lease);
        if (v.chunks.containsKey(index)) {
            throw new ChunkAllocatedException(v.id, index);
        }
        ChunkEntry e = new ChunkEntry(index, new ChunkId(v.storageId, index), 1, replicas);
        v.chunks.put(index, e);
        return e;
    }

    private ChunkEntry existing(Volume v, long index, long expectedVersion) {
        ChunkEntry e = v.chunks.get(index);
        if (e == null || e.version() != expectedVersion) {
            throw new CatalogConflictException("chunk " + index + " is at " + (e == null ? "none" : e.version())
                    + ", not " + expectedVersion);
        }
        return e;
    }

    @Override
    public synchronized long dropReplica(Lease lease, long index, long expectedVersion, ReplicaRef replica) {
        Volume v = check(lease);
        ChunkEntry e = existing(v, index, expectedVersion);
        if (!e.replicas().contains(replica) || e.replicas().size() == 1) {
            throw new CatalogConflictException("cannot drop " + replica + " from " + e);
        }
        List<ReplicaRef> r = new ArrayList<>(e.replicas());
        r.remove(replica);
        v.chunks.put(index, new ChunkEntry(index, e.chunk(), e.version() + 1, r, e.dirty()));
        return e.version() + 1;
    }

    @Override
    public synchronized long addReplica(Lease lease, long index, long expectedVersion, ReplicaRef replica) {
        Volume v = check(lease);
        ChunkEntry e = existing(v, index, expectedVersion);
        if (e.replicas().contains(replica)) {
            throw new CatalogConflictException(replica + " already holds " + e);
        }
        List<ReplicaRef> r = new ArrayList<>(e.replicas());
        r.add(replica);
        v.chunks.put(index, new ChunkEntry(index, e.chunk(), e.version() + 1, r, e.dirty()));
        return e.version() + 1;
    }

    @Override
    public synchronized void markDirty(Lease lease, long index, boolean dirty) {
        Volume v = check(lease);
        if (v.ec == null) {
            throw new IllegalStateException("volume " + v.id + " is not erasure-coded");
        }
        ChunkEntry e = v.chunks.get(index);
        if (e == null) {
            throw new CatalogConflictException("chunk " + index + " of " + v.id + " is not allocated");
        }
        v.chunks.put(index, new ChunkEntry(index, e.chunk(), e.version(), e.replicas(), dirty));
    }

    @Override
    public synchronized ChunkEntry copyOnWrite(Lease lease, long index, String expectedSource, List<ReplicaRef> replicas) {
        Volume v = check(lease);
        ChunkEntry e = v.chunks.get(index);
        if (e == null || !e.chunk().volumeId().equals(expectedSource)) {
            throw new CatalogConflictException("chunk " + index + " is not stored under " + expectedSource);
        }
        ChunkEntry fresh = new ChunkEntry(index, new ChunkId(v.storageId, index), 1, replicas);
        v.chunks.put(index, fresh);
        return fresh;
    }
}
