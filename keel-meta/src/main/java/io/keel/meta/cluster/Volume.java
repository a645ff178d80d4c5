package io.keel.meta.cluster;

import java.time.Instant;
import java.util.Objects;

/**
 * A block volume: a thin sequence of {@code chunkSize} chunks. Chunks this volume writes are
 * stored under {@code storageId}, which changes when a snapshot is taken, so a chunk whose
 * storage id differs is shared with a snapshot or a parent and is copied before it is written.
 * {@code epoch} is the highest lease epoch ever granted (a snapshot or clone starts from its
 * origin's, as it shares chunks the origin's writers fenced); {@code lease} is null when no one holds
 * one. {@code origin} names the snapshot a clone was made from, else null. {@code snapshotOf}
 * names the parent volume when this record is a snapshot (read-only, never leased for writing,
 * never listed among the volumes), else null. {@code home} is the node of the most recent foreground
 * (writer's) lease grant, kept after that lease ends: exports drop their lease when the last client
 * disconnects, so the lease holder says where a volume is used only while it is open, and
 * rebalancing needs a place that stays put between opens to keep local copies on. Null until a
 * writer first opens the volume (and for snapshots and clones, which start unused); records stored
 * before this field existed decode with it null.
 */
public record Volume(
        String id,
        String name,
        long sizeBytes,
        int chunkSize,
        String policy,
        Instant createdAt,
        int generation,
        long epoch,
        VolumeLease lease,
        String origin,
        String snapshotOf,
        String home) {
    public Volume {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** Whether this record is a snapshot of volume {@link #snapshotOf()} rather than a volume. */
    public boolean isSnapshot() {
        return snapshotOf != null;
    }

    /** The chunk id prefix of chunks allocated now: the volume id and its generation. */
    public String storageId() {
        return id + "-" + generation;
    }

    /** Number of chunk slots the logical size spans. */
    public long chunkCount() {
        return (sizeBytes + chunkSize - 1) / chunkSize;
    }

    /** Whether {@code holder}'s lease is {@code epoch} and still the one granted. */
    public boolean leaseIs(long epoch) {
        return lease != null && lease.epoch() == epoch;
    }

    Volume withSize(long size) {
        return new Volume(id, name, size, chunkSize, policy, createdAt, generation, epoch, lease, origin,
                snapshotOf, home);
    }

    Volume withPolicy(String p) {
        return new Volume(id, name, sizeBytes, chunkSize, p, createdAt, generation, epoch, lease, origin,
                snapshotOf, home);
    }

    /** Sets the lease; {@link #home()} stays, so releasing or losing a lease keeps the volume's home. */
    Volume withLease(VolumeLease l, long newEpoch) {
        return new Volume(id, name, sizeBytes, chunkSize, policy, createdAt, generation, newEpoch, l, origin,
                snapshotOf, home);
    }

    Volume withHome(String nodeId) {
        return new Volume(id, name, sizeBytes, chunkSize, policy, createdAt, generation, epoch, lease, origin,
                snapshotOf, nodeId);
    }

    Volume withGeneration(int g) {
        return new Volume(id, name, sizeBytes, chunkSize, policy, createdAt, g, epoch, lease, origin, snapshotOf,
                home);
    }
}
