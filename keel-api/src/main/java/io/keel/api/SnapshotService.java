package io.keel.api;

import io.keel.api.dto.ChangedExtentsView;
import io.keel.api.dto.CloneRequest;
import io.keel.api.dto.CreateSnapshotRequest;
import io.keel.api.dto.SnapshotView;
import io.keel.api.dto.VolumeView;
import java.util.List;

/**
 * Snapshots of volumes, reverts, clones and changed extents, as the REST API asks for them. Kept
 * apart from {@link VolumeService} so a node can serve volumes before it serves snapshots. A
 * volume is named by id or name, a snapshot by id or by its name among the volume's snapshots.
 * Every method either returns or throws {@link ApiException} (400 invalid, 404 not_found, 409
 * conflict, 503 when the metadata quorum or the volume layer is unavailable), and a method that
 * throws has changed nothing.
 */
public interface SnapshotService {
    /**
     * Takes a crash-consistent snapshot: if the volume is open for writing, its writer pauses its
     * writes around it. 409 when the name is taken among the volume's snapshots.
     */
    SnapshotView create(String volume, CreateSnapshotRequest request);

    /**
     * {@link #create} as asked by another node that forwarded it here because this node holds the
     * volume's write lease: taken here or refused, never forwarded again (409 when this node no
     * longer holds the lease, and the asking node looks again).
     */
    default SnapshotView createLocal(String volume, CreateSnapshotRequest request) {
        throw ApiException.conflict("this node does not take snapshots for other nodes");
    }

    /** The volume's snapshots, oldest first. */
    List<SnapshotView> list(String volume);

    SnapshotView get(String volume, String snapshot);

    /** Clones made from the snapshot keep their data. */
    void delete(String volume, String snapshot);

    /** Makes the volume what it was at the snapshot, size included; 409 while it is open for writing. */
    VolumeView revert(String volume, String snapshot);

    /** A new volume sharing the snapshot's data; 409 when the name is taken, 404 for an unknown policy. */
    VolumeView cloneSnapshot(String volume, String snapshot, CloneRequest request);

    /**
     * The byte ranges that may differ between snapshot {@code from} (null: everything allocated)
     * and {@code to} (a snapshot of the same volume, or null for the volume itself).
     */
    ChangedExtentsView changedExtents(String volume, String from, String to);
}
