package io.keel.node.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.keel.api.ApiException;
import io.keel.api.http.ErrorResponse;
import io.keel.api.SnapshotService;
import io.keel.api.dto.ChangedExtentsView;
import io.keel.api.dto.CloneRequest;
import io.keel.api.dto.CreateSnapshotRequest;
import io.keel.api.dto.ExtentView;
import io.keel.api.dto.SnapshotView;
import io.keel.api.dto.VolumeView;
import io.keel.meta.cluster.ChangedChunks;
import io.keel.meta.cluster.ClusterCommand;
import io.keel.meta.cluster.ClusterState;
import io.keel.meta.cluster.NodeRecord;
import io.keel.meta.cluster.Volume;
import io.keel.meta.cluster.VolumeLease;
import io.keel.storage.volume.VolumeException;
import io.keel.storage.volume.VolumeHandle;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Snapshots through the metadata service. A volume open for writing on this node is snapshotted
 * inside its handle's quiesce (writes in flight finish, new ones wait, everything acknowledged is
 * flushed, then the snapshot is recorded with the handle's epoch), so the snapshot is crash
 * consistent. A volume open on another node is snapshotted by that node, the only one that can
 * pause its writer: the request is forwarded to its internal API with this node's credential, and
 * its answer (the snapshot, or its error) is this one's.
 */
public final class SnapshotServiceImpl implements SnapshotService {
    private static final int ATTEMPTS = 5;
    private final String selfId;
    private final MetaGateway meta;
    private final VolumeServiceImpl volumes;
    private final Supplier<Map<String, VolumeHandle>> writers;
    private final Clock clock;
    private final SecureRandom random;
    private final PeerCall peers;
    private final ObjectMapper json = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /**
     * @param writers volumes this node holds open for writing, by id
     * @param peers   calls of other nodes' internal API (a snapshot of a volume another node writes)
     */
    public SnapshotServiceImpl(String selfId, MetaGateway meta, VolumeServiceImpl volumes,
            Supplier<Map<String, VolumeHandle>> writers, PeerCall peers, Clock clock, SecureRandom random) {
        this.peers = Objects.requireNonNull(peers, "peers");
        this.selfId = Objects.requireNonNull(selfId, "selfId");
        this.meta = Objects.requireNonNull(meta, "meta");
        this.volumes = Objects.requireNonNull(volumes, "volumes");
        this.writers = Objects.requireNonNull(writers, "writers");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    @Override
    public SnapshotView create(String volume, CreateSnapshotRequest request) {
        return create(volume, request, true);
    }

    @Override
    public SnapshotView createLocal(String volume, CreateSnapshotRequest request) {
        return create(volume, request, false);
    }

    private SnapshotView create(String volume, CreateSnapshotRequest request, boolean forward) {
        if (request == null || request.name() == null || request.name().isBlank()) {
            throw ApiException.invalid("a snapshot needs a name");
        }
        String id = newId("s");
        // The writer may come or go while we look: a lease that changed under us means look again.
        for (int attempt = 1; ; attempt++) {
            try {
                // A retry reads the leader's view: this node's may lag the lease change that failed us.
                SnapshotView forwarded = take(attempt == 1 ? meta.state() : meta.leaderState(), volume, id, request,
                        forward);
                return forwarded != null ? forwarded : view(meta.state(), id);
            } catch (ApiException e) {
                if (attempt >= ATTEMPTS || !"conflict".equals(e.code()) || !e.getMessage().contains("write lease")) {
                    throw e;
                }
                pause(attempt);
            }
        }
    }

    /** Takes the snapshot here (returns null) or has the writer's node take it (returns its answer). */
    private SnapshotView take(ClusterState s, String volume, String id, CreateSnapshotRequest request,
            boolean forward) {
        String name = request.name();
        Volume v = volume(s, volume);
        VolumeLease lease = v.lease();
        if (lease == null || lease.background() || !lease.liveAt(clock.instant())) {
            try {
                meta.submit(new ClusterCommand.CreateSnapshot(v.id(), id, name, 0, clock.instant()));
            } catch (ApiException e) {
                if ("conflict".equals(e.code()) && writerNow(v.id())) {
                    // Opened for writing since we looked (or our view lagged): its writer must pause for it.
                    throw ApiException.conflict("the write lease of volume " + v.name()
                            + " was taken while the snapshot was being recorded");
                }
                throw e;
            }
            return null;
        }
        VolumeHandle h = writers.get().get(v.id());
        if ((h == null || h.isClosed()) && lease.holder().equals(selfId)) {
            // Our writer has just closed; its lease release is on the way.
            throw ApiException.conflict("the write lease of volume " + v.name() + " is being released on this node");
        }
        if ((h == null || h.isClosed()) && forward) {
            return forward(s, v, lease, request);
        }
        if (h == null || h.isClosed()) {
            // A forwarded request whose lease moved on meanwhile: the asking node looks again.
            throw ApiException.conflict("the write lease of volume " + v.name() + " is no longer held by this node");
        }
        try {
            h.quiesce(() -> meta.submit(new ClusterCommand.CreateSnapshot(v.id(), id, name, h.epoch(),
                    clock.instant())));
        } catch (VolumeException e) {
            if (h.isClosed()) {
                // The writer finished between our look and the pause: as above, look again.
                throw ApiException.conflict("the write lease of volume " + v.name() + " is being released on this node");
            }
            throw new ApiException(503, "unavailable", "cannot pause the writer of volume " + v.name() + ": "
                    + e.getMessage());
        }
        return null;
    }

    private boolean writerNow(String volumeId) {
        VolumeLease lease = meta.leaderState().volume(volumeId).map(Volume::lease).orElse(null);
        return lease != null && !lease.background() && lease.liveAt(clock.instant());
    }

    /** Has the node holding the write lease take the snapshot; its answer, or why it could not be asked. */
    private SnapshotView forward(ClusterState s, Volume v, VolumeLease lease, CreateSnapshotRequest request) {
        NodeRecord holder = s.node(lease.holder()).orElseThrow(() -> new ApiException(503, "unavailable",
                "volume " + v.name() + " is open for writing by " + lease.holder() + ", which is not a cluster node"));
        String what = "node " + holder.name() + " (" + holder.address() + ":" + holder.apiPort()
                + "), which holds the write lease of volume " + v.name();
        PeerCall.Reply reply;
        try {
            reply = peers.post(holder, "/api/v1/internal/volumes/" + v.id() + "/snapshots",
                    json.writeValueAsString(request));
        } catch (IOException e) {
            throw new ApiException(503, "unavailable", "cannot reach " + what + ", to take the snapshot there: "
                    + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "unavailable", "interrupted while asking " + what);
        }
        try {
            if (reply.ok()) {
                return json.readValue(reply.body(), SnapshotView.class);
            }
            ErrorResponse err = json.readValue(reply.body(), ErrorResponse.class);
            throw new ApiException(reply.status(), err.code(), err.message(),
                    err.details() == null ? Map.of() : err.details());
        } catch (JsonProcessingException e) {
            throw new ApiException(503, "unavailable", what + " answered HTTP " + reply.status()
                    + " with something that is not a snapshot: " + e.getOriginalMessage());
        }
    }

    @Override
    public List<SnapshotView> list(String volume) {
        ClusterState s = meta.state();
        Volume v = volume(s, volume);
        return s.snapshots(v.id()).stream().map(x -> view(s, x)).toList();
    }

    @Override
    public SnapshotView get(String volume, String snapshot) {
        ClusterState s = meta.state();
        return view(s, snapshot(s, volume(s, volume), snapshot));
    }

    @Override
    public void delete(String volume, String snapshot) {
        ClusterState s = meta.state();
        meta.submit(new ClusterCommand.DeleteSnapshot(snapshot(s, volume(s, volume), snapshot).id()));
    }

    @Override
    public VolumeView revert(String volume, String snapshot) {
        ClusterState s = meta.state();
        Volume v = volume(s, volume);
        meta.submit(new ClusterCommand.RevertVolume(v.id(), snapshot(s, v, snapshot).id(), clock.instant()));
        return volumes.get(v.id());
    }

    @Override
    public VolumeView cloneSnapshot(String volume, String snapshot, CloneRequest request) {
        if (request == null || request.name() == null || request.name().isBlank()) {
            throw ApiException.invalid("a clone needs a name");
        }
        ClusterState s = meta.state();
        Volume snap = snapshot(s, volume(s, volume), snapshot);
        String id = newId("v");
        meta.submit(new ClusterCommand.CloneVolume(snap.id(), id, request.name(), request.policy(), clock.instant()));
        return volumes.get(id);
    }

    @Override
    public ChangedExtentsView changedExtents(String volume, String from, String to) {
        ClusterState s = meta.state();
        Volume v = volume(s, volume);
        Volume fromSnap = from == null || from.isBlank() ? null : snapshot(s, v, from);
        Volume toRecord = to == null || to.isBlank() ? v : snapshot(s, v, to);
        List<ChangedChunks.Extent> extents;
        try {
            extents = ChangedChunks.between(s, fromSnap == null ? null : fromSnap.id(), toRecord.id());
        } catch (NoSuchElementException | IllegalArgumentException e) {
            throw ApiException.invalid(e.getMessage());
        }
        long total = extents.stream().mapToLong(ChangedChunks.Extent::length).sum();
        return new ChangedExtentsView(fromSnap == null ? null : fromSnap.name(), toRecord.name(), v.chunkSize(),
                extents.stream().map(e -> new ExtentView(e.offset(), e.length())).toList(), total);
    }

    private SnapshotView view(ClusterState s, String id) {
        return view(s, s.volume(id).orElseThrow(() -> ApiException.notFound("no snapshot " + id)));
    }

    private static SnapshotView view(ClusterState s, Volume snap) {
        String parent = s.volume(snap.snapshotOf()).map(Volume::name).orElse(snap.snapshotOf());
        return new SnapshotView(snap.id(), snap.name(), parent, snap.sizeBytes(), snap.createdAt().toString(),
                s.chunks(snap.id()).size());
    }

    private static Volume volume(ClusterState s, String idOrName) {
        return s.volumeByIdOrName(Objects.requireNonNull(idOrName, "volume"))
                .orElseThrow(() -> ApiException.notFound("no volume " + idOrName));
    }

    private static Volume snapshot(ClusterState s, Volume v, String idOrName) {
        return s.snapshotByIdOrName(v.id(), Objects.requireNonNull(idOrName, "snapshot"))
                .orElseThrow(() -> ApiException.notFound("volume " + v.name() + " has no snapshot " + idOrName));
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(200L * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "unavailable", "interrupted while waiting for a writer to settle");
        }
    }

    private String newId(String prefix) {
        return prefix + HexFormat.of().toHexDigits(random.nextLong()).substring(1);
    }
}
