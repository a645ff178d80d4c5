package io.keel.api;

import io.keel.api.dto.ChangedExtentsView;
import io.keel.api.dto.CloneRequest;
import io.keel.api.dto.CreateSnapshotRequest;
import io.keel.api.dto.ExtentView;
import io.keel.api.dto.SnapshotView;
import io.keel.api.dto.VolumeView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Snapshots of the volumes of a {@link FakeVolumeService}, with the checks a real service makes
 * (unknown volumes and snapshots, taken names, open volumes); records what it was asked and
 * fails on demand. Changed extents answer {@link #extents} whatever is asked.
 */
final class FakeSnapshotService implements SnapshotService {
    private final FakeVolumeService volumes;
    /** When set, every call throws it. */
    volatile RuntimeException failure;
    /** Snapshot id to snapshot. */
    final Map<String, SnapshotView> snapshots = new ConcurrentHashMap<>();
    final List<Object> calls = new CopyOnWriteArrayList<>();
    volatile List<ExtentView> extents = List.of();

    FakeSnapshotService(FakeVolumeService volumes) {
        this.volumes = volumes;
    }

    void reset() {
        failure = null;
        calls.clear();
        snapshots.clear();
        extents = List.of();
    }

    private void record(Object call) {
        calls.add(call);
        RuntimeException f = failure;
        if (f != null) {
            throw f;
        }
    }

    @Override
    public synchronized SnapshotView create(String volume, CreateSnapshotRequest request) {
        record("create " + volume + " " + request.name());
        VolumeView v = volume(volume);
        if (request.name() == null || !request.name().matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
            throw ApiException.invalid("snapshot name '" + request.name() + "' is not valid");
        }
        if (find(v, request.name()) != null) {
            throw ApiException.conflict("volume " + v.name() + " already has a snapshot named '" + request.name() + "'");
        }
        String id = "s" + String.format("%015x", snapshots.size() + 1);
        SnapshotView s = new SnapshotView(id, request.name(), v.name(), v.sizeBytes(), FakeVolumeService.CREATED_AT,
                v.chunks());
        snapshots.put(id, s);
        return s;
    }

    @Override
    public List<SnapshotView> list(String volume) {
        record("list " + volume);
        VolumeView v = volume(volume);
        return new ArrayList<>(snapshots.values().stream().filter(s -> s.volume().equals(v.name())).toList());
    }

    @Override
    public SnapshotView get(String volume, String snapshot) {
        record("get " + volume + " " + snapshot);
        return snapshot(volume(volume), snapshot);
    }

    @Override
    public synchronized void delete(String volume, String snapshot) {
        record("delete " + volume + " " + snapshot);
        snapshots.remove(snapshot(volume(volume), snapshot).id());
    }

    @Override
    public synchronized VolumeView revert(String volume, String snapshot) {
        record("revert " + volume + " " + snapshot);
        VolumeView v = volume(volume);
        SnapshotView s = snapshot(v, snapshot);
        if (v.leaseHolder() != null) {
            throw ApiException.conflict("volume " + v.name() + " is open on " + v.leaseHolder());
        }
        VolumeView reverted = new VolumeView(v.id(), v.name(), s.sizeBytes(), v.chunkSizeBytes(), v.policy(),
                v.allocatedBytes(), v.physicalBytes(), v.health(), v.healthReason(), s.chunks(), v.degradedChunks(),
                null, null, v.createdAt(), v.home());
        volumes.volumes.put(v.id(), reverted);
        return reverted;
    }

    @Override
    public synchronized VolumeView cloneSnapshot(String volume, String snapshot, CloneRequest request) {
        record(request);
        VolumeView v = volume(volume);
        SnapshotView s = snapshot(v, snapshot);
        VolumeView clone = volumes.create(new io.keel.api.dto.CreateVolumeRequest(request.name(),
                Long.toString(s.sizeBytes()), request.policy() == null ? v.policy() : request.policy(), null));
        return clone;
    }

    @Override
    public ChangedExtentsView changedExtents(String volume, String from, String to) {
        record("diff " + volume + " " + from + " " + to);
        VolumeView v = volume(volume);
        if (from != null) {
            snapshot(v, from);
        }
        String target = to == null ? v.name() : snapshot(v, to).name();
        long total = extents.stream().mapToLong(ExtentView::length).sum();
        return new ChangedExtentsView(from, target, v.chunkSizeBytes(), extents, total);
    }

    private VolumeView volume(String idOrName) {
        VolumeView byId = volumes.volumes.get(idOrName);
        if (byId != null) {
            return byId;
        }
        return volumes.volumes.values().stream().filter(v -> v.name().equals(idOrName)).findFirst()
                .orElseThrow(() -> ApiException.notFound("no volume '" + idOrName + "'"));
    }

    private SnapshotView find(VolumeView v, String idOrName) {
        SnapshotView byId = snapshots.get(idOrName);
        if (byId != null && byId.volume().equals(v.name())) {
            return byId;
        }
        return snapshots.values().stream().filter(s -> s.volume().equals(v.name()) && s.name().equals(idOrName))
                .findFirst().orElse(null);
    }

    private SnapshotView snapshot(VolumeView v, String idOrName) {
        SnapshotView s = find(v, idOrName);
        if (s == null) {
            throw ApiException.notFound("volume " + v.name() + " has no snapshot '" + idOrName + "'");
        }
        return s;
    }
}
