package io.keel.storage.volume;

import java.time.Duration;
import java.util.List;

/**
 * The volume metadata a client reads and changes: in a node this is the replicated metadata
 * service, in unit tests an in-memory model. Every change but {@link #acquire} names the lease it
 * is made under and is refused with {@link LeaseLostException} once that lease is no longer the
 * current one; changes to an existing chunk name the version they expect and are refused with
 * {@link CatalogConflictException} when it moved.
 */
public interface VolumeCatalog {

    /** @throws VolumeNotFoundException if there is no such volume */
    VolumeLayout layout(String volumeId);

    /**
     * The layout including every change committed before this call, even through other nodes (a
     * replicated catalog asks its leader); {@link #layout} may answer from a replica a few changes
     * behind. By default the same.
     *
     * @throws VolumeNotFoundException if there is no such volume
     */
    default VolumeLayout freshLayout(String volumeId) {
        return layout(volumeId);
    }

    /**
     * Grants a write lease with a new, higher epoch. A background lease gives way to any later
     * foreground acquire.
     *
     * @throws LeaseHeldException if another holder's unexpired lease stands in the way
     */
    Lease acquire(String volumeId, String holder, boolean background, Duration ttl);

    /** Extends the lease. @throws LeaseLostException if it is no longer the current lease */
    Lease renew(Lease lease, Duration ttl);

    /** Gives the lease up; a lease already lost is not an error. */
    void release(Lease lease);

    /**
     * Records chunk {@code index} at version 1 on {@code replicas} under the volume's storage id.
     *
     * @throws ChunkAllocatedException if another allocation won
     */
    ChunkEntry allocate(Lease lease, long index, List<ReplicaRef> replicas);

    /** Removes a replica; returns the chunk's new version. */
    long dropReplica(Lease lease, long index, long expectedVersion, ReplicaRef replica);

    /** Adds a replica that holds the data at {@code expectedVersion}; returns the chunk's new version. */
    long addReplica(Lease lease, long index, long expectedVersion, ReplicaRef replica);

    /**
     * Points chunk {@code index} at a fresh copy under the volume's own storage id on {@code
     * replicas} (version 1), replacing the shared chunk stored under {@code expectedSource}.
     */
    ChunkEntry copyOnWrite(Lease lease, long index, String expectedSource, List<ReplicaRef> replicas);

    /**
     * Marks chunk {@code index} of an erasure-coded volume as possibly torn ({@code dirty}) before
     * its writer changes any stripe of it, or as consistent again once every change is flushed.
     * Does not change the chunk's version.
     */
    default void markDirty(Lease lease, long index, boolean dirty) {
        throw new UnsupportedOperationException("this catalog keeps no dirty marks");
    }
}
