package io.keel.api;

import io.keel.api.dto.ChangedExtentsView;
import io.keel.api.dto.CloneRequest;
import io.keel.api.dto.CreateSnapshotRequest;
import io.keel.api.dto.SnapshotView;
import io.keel.api.dto.VolumeView;
import java.util.List;

/** The snapshot service of a node that does not serve snapshots (yet): every call is 503. */
final class UnservedSnapshotService implements SnapshotService {
    private static ApiException unavailable() {
        return new ApiException(503, "unavailable", "snapshots are not served by this node yet");
    }

    @Override
    public SnapshotView create(String volume, CreateSnapshotRequest request) {
        throw unavailable();
    }

    @Override
    public List<SnapshotView> list(String volume) {
        throw unavailable();
    }

    @Override
    public SnapshotView get(String volume, String snapshot) {
        throw unavailable();
    }

    @Override
    public void delete(String volume, String snapshot) {
        throw unavailable();
    }

    @Override
    public VolumeView revert(String volume, String snapshot) {
        throw unavailable();
    }

    @Override
    public VolumeView cloneSnapshot(String volume, String snapshot, CloneRequest request) {
        throw unavailable();
    }

    @Override
    public ChangedExtentsView changedExtents(String volume, String from, String to) {
        throw unavailable();
    }
}
