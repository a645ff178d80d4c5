package io.keel.meta.cluster;

import io.keel.meta.cluster.ClusterCommand.CreateImage;
import io.keel.meta.cluster.ClusterCommand.DeleteImage;
import io.keel.meta.cluster.ClusterCommand.UpdateImageStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Images: the record of an uploaded file whose data a node writes into an ordinary volume and
 * freezes in a golden snapshot. The node does the I/O and reports each step; the logic keeps the
 * steps in order (one upload attempt at a time, nothing after ACTIVE) and checks that what an
 * ACTIVE image names exists, so a VM is never cloned from a half-written image.
 */
final class ImageCommands {
    /**
     * An upload reports at least every few seconds; one silent for this long lost its node (or
     * its client) and may be replaced or deleted. Long enough that a busy node is never taken for
     * dead, short enough that an administrator is not stuck for long.
     */
    static final Duration ABANDONED_AFTER = Duration.ofMinutes(5);
    static final int MAX_REASON = 2000;

    private final ClusterCodec codec;

    ImageCommands(ClusterCodec codec) {
        this.codec = codec;
    }

    Plan create(ClusterState state, CreateImage c) {
        ClusterInfo info = Checks.initialised(state);
        if (!info.hasStorageCluster()) {
            throw Rejection.invalid("there is no storage cluster yet: images are stored in volumes, so create the"
                    + " storage cluster first");
        }
        Checks.valid(Names.validateImageId(c.id()));
        Checks.valid(Names.validateImageName(c.name()));
        Checks.valid(Names.validateOsType(c.osType()));
        Instant at = Checks.required(c.at(), "time");
        StoragePolicy policy = VolumeCommands.dataPolicy(state, c.policy());
        if (state.image(c.id()).filter(i -> i.name().equals(c.name()) && i.createdAt().equals(at)).isPresent()) {
            // The same request delivered twice (see VolumeCommands.isReplay).
            return new Plan(codec, c.id());
        }
        if (state.image(c.id()).isPresent()) {
            throw Rejection.conflict("image id " + Names.quote(c.id()) + " is taken");
        }
        Optional<Image> clash = state.images().stream().filter(i -> i.name().equals(c.name())).findFirst();
        if (clash.isPresent()) {
            throw Rejection.conflict("an image named " + Names.quote(c.name()) + " already exists (id "
                    + Names.quote(clash.get().id()) + ", " + clash.get().status() + "): choose another name or delete"
                    + " it first");
        }
        String volumeName = Image.volumeName(c.name());
        if (state.volumes().stream().anyMatch(v -> v.name().equals(volumeName))) {
            throw Rejection.conflict("a volume named " + Names.quote(volumeName) + " already exists, and image "
                    + Names.quote(c.name()) + " would keep its data in a volume of that name: choose another name");
        }
        Image image = new Image(c.id(), c.name(), c.format(), c.osType(), c.shared(), policy.name(), ImageStatus.QUEUED,
                null, 0, 0, null, null, null, null, at, at);
        return new Plan(codec, image.id()).put(ClusterState.imageKey(image.id()), image);
    }

    Plan update(ClusterState state, UpdateImageStatus c) {
        Checks.initialised(state);
        Image i = image(state, c.imageId());
        Checks.valid(Names.validateId("upload id", c.uploadId()));
        NodeRecord node = Checks.node(state, c.node());
        ImageStatus status = Checks.required(c.status(), "image status");
        Instant at = Checks.required(c.at(), "time");
        if (status == ImageStatus.QUEUED) {
            throw Rejection.invalid("an upload cannot put image " + Names.quote(i.name()) + " back to QUEUED");
        }
        if (c.sizeBytes() < 0 || c.virtualSizeBytes() < 0) {
            throw Rejection.invalid("image sizes cannot be negative");
        }
        if (c.statusReason() != null && c.statusReason().length() > MAX_REASON) {
            throw Rejection.invalid("an image status reason is limited to " + MAX_REASON + " characters");
        }
        if (status == ImageStatus.ERROR && (c.statusReason() == null || c.statusReason().isBlank())) {
            throw Rejection.invalid("an image in ERROR needs the reason");
        }
        if (isReplay(i, c)) {
            return new Plan(codec, i.id());
        }
        if (c.uploadId().equals(i.uploadId())) {
            continuing(i, c);
        } else {
            starting(i, c, at);
        }
        if (i.format() != null && c.format() != null && i.format() != c.format()) {
            throw Rejection.invalid("image " + Names.quote(i.name()) + " is " + i.format().label()
                    + "; an upload cannot make it " + c.format().label());
        }
        checkVolumes(state, i, c);
        Image updated = new Image(i.id(), i.name(), c.format() != null ? c.format() : i.format(), i.osType(),
                i.shared(), i.policy(), status, c.statusReason(), c.sizeBytes(), c.virtualSizeBytes(), c.volumeId(),
                c.snapshotId(), c.uploadId(), node.id(), i.createdAt(), at);
        return new Plan(codec, i.id()).put(ClusterState.imageKey(i.id()), updated);
    }

    /**
     * The very report already applied, delivered twice: answered as applied, so a node whose
     * final ACTIVE report came back as a refusal does not tear down the image it just made.
     */
    private static boolean isReplay(Image i, UpdateImageStatus c) {
        return c.uploadId().equals(i.uploadId()) && c.at().equals(i.updatedAt()) && c.status() == i.status()
                && c.node().equals(i.node()) && Objects.equals(c.volumeId(), i.volumeId())
                && Objects.equals(c.snapshotId(), i.snapshotId()) && c.sizeBytes() == i.sizeBytes()
                && c.virtualSizeBytes() == i.virtualSizeBytes() && Objects.equals(c.statusReason(), i.statusReason());
    }

    /** A new attempt: refused while another one is alive or after the image became usable. */
    private static void starting(Image i, UpdateImageStatus c, Instant at) {
        if (c.status() != ImageStatus.UPLOADING) {
            throw Rejection.conflict("upload " + Names.quote(c.uploadId()) + " is not the current upload of image "
                    + Names.quote(i.name()) + ": another upload replaced it");
        }
        if (i.status() == ImageStatus.ACTIVE) {
            throw Rejection.conflict("image " + Names.quote(i.name()) + " is already uploaded and ACTIVE: delete it"
                    + " and create it again to replace its file");
        }
        if (i.status().inProgress() && !abandoned(i, at)) {
            throw Rejection.conflict("image " + Names.quote(i.name()) + " is being uploaded (" + i.status()
                    + " through node " + Names.quote(i.node()) + ", last progress at " + i.updatedAt()
                    + "): wait for that upload to finish");
        }
        if (i.volumeId() != null) {
            throw Rejection.conflict("an earlier upload of image " + Names.quote(i.name()) + " left volume "
                    + Names.quote(i.volumeId()) + " behind: delete the image and create it again");
        }
    }

    /** The current attempt reporting: only forward, and never after it ended. */
    private static void continuing(Image i, UpdateImageStatus c) {
        if (!i.status().inProgress()) {
            throw Rejection.conflict("upload " + Names.quote(c.uploadId()) + " of image " + Names.quote(i.name())
                    + " has already ended (" + i.status() + ")");
        }
        if (i.status() == ImageStatus.CONVERTING && c.status() == ImageStatus.UPLOADING) {
            throw Rejection.invalid("image " + Names.quote(i.name()) + " is already being converted; its upload"
                    + " cannot resume");
        }
    }

    /** What an image names must exist; an ACTIVE one needs its volume and golden snapshot. */
    private static void checkVolumes(ClusterState state, Image i, UpdateImageStatus c) {
        if (c.snapshotId() != null && c.volumeId() == null) {
            throw Rejection.invalid("image " + Names.quote(i.name()) + ": a snapshot needs its volume");
        }
        if (c.volumeId() != null) {
            VolumeCommands.ordinary(state, c.volumeId());
        }
        if (c.snapshotId() != null) {
            Volume s = SnapshotCommands.snapshot(state, c.snapshotId());
            if (!c.volumeId().equals(s.snapshotOf())) {
                throw Rejection.invalid("snapshot " + Names.quote(s.id()) + " is not a snapshot of volume "
                        + Names.quote(c.volumeId()));
            }
        }
        if (c.status() == ImageStatus.ACTIVE) {
            if (c.snapshotId() == null || (c.format() == null && i.format() == null) || c.virtualSizeBytes() <= 0) {
                throw Rejection.invalid("image " + Names.quote(i.name()) + " can only become ACTIVE with its format,"
                        + " virtual size, volume and golden snapshot");
            }
        }
    }

    Plan delete(ClusterState state, DeleteImage c) {
        Checks.initialised(state);
        Image i = image(state, c.imageId());
        Instant at = Checks.required(c.at(), "time");
        if (i.status().inProgress() && !abandoned(i, at)) {
            throw Rejection.conflict("image " + Names.quote(i.name()) + " is being uploaded (" + i.status()
                    + " through node " + Names.quote(i.node()) + ", last progress at " + i.updatedAt()
                    + "): wait for the upload to end, or for " + ABANDONED_AFTER.toMinutes() + " minutes without"
                    + " progress");
        }
        List<String> building = state.vms().stream()
                .filter(v -> i.id().equals(v.imageId()) && v.status() == VmStatus.BUILD)
                .map(v -> Names.quote(v.name())).toList();
        if (!building.isEmpty()) {
            throw Rejection.conflict("image " + Names.quote(i.name()) + " is in use: VMs " + Checks.list(building)
                    + " are being created from it");
        }
        List<String> inDrives = state.vms().stream().filter(v -> i.id().equals(v.cdromImageId()))
                .map(v -> Names.quote(v.name())).toList();
        if (!inDrives.isEmpty()) {
            throw Rejection.conflict("image " + Names.quote(i.name()) + " is in the CD-ROM drive of VMs "
                    + Checks.list(inDrives) + ": eject it first (keel vm cdrom eject VM)");
        }
        if (i.snapshotId() != null) {
            List<String> clones = state.volumes().stream().filter(v -> i.snapshotId().equals(v.origin()))
                    .map(v -> Names.quote(v.name())).toList();
            if (!clones.isEmpty()) {
                throw Rejection.conflict("image " + Names.quote(i.name()) + " is in use: volumes " + Checks.list(clones)
                        + " are cloned from it; delete them (or the VMs using them) first");
            }
        }
        Plan plan = new Plan(codec, i.id()).delete(ClusterState.imageKey(i.id()));
        Optional<Volume> snapshot = Optional.ofNullable(i.snapshotId()).flatMap(state::volume);
        Optional<Volume> volume = Optional.ofNullable(i.volumeId()).flatMap(state::volume).filter(v -> !v.isSnapshot());
        if (volume.isPresent()) {
            Volume v = volume.get();
            List<String> others = state.snapshots(v.id()).stream().filter(s -> !s.id().equals(i.snapshotId()))
                    .map(s -> Names.quote(s.name())).toList();
            if (!others.isEmpty()) {
                throw Rejection.conflict("volume " + Names.quote(v.name()) + " of image " + Names.quote(i.name())
                        + " has other snapshots " + Checks.list(others) + ": delete them first");
            }
            VolumeLease l = v.lease();
            if (l != null && !l.background() && l.liveAt(at)) {
                throw Rejection.conflict("volume " + Names.quote(v.name()) + " of image " + Names.quote(i.name())
                        + " is open for writing by " + Names.quote(l.holder()) + ": stop the writer first");
            }
        }
        snapshot.filter(Volume::isSnapshot).ifPresent(s -> deleteMap(state, plan, s));
        volume.ifPresent(v -> deleteMap(state, plan, v));
        return plan;
    }

    private static void deleteMap(ClusterState state, Plan plan, Volume v) {
        plan.delete(ClusterState.volumeKey(v.id()));
        for (ChunkRecord r : state.chunks(v.id())) {
            plan.delete(ClusterState.chunkKey(v.id(), r.index()));
        }
    }

    /** The ACTIVE image whose volume or golden snapshot is {@code volumeId}, if any. */
    static Optional<Image> usingVolume(ClusterState state, String volumeId) {
        return state.images().stream().filter(i -> i.status() == ImageStatus.ACTIVE)
                .filter(i -> volumeId.equals(i.volumeId()) || volumeId.equals(i.snapshotId())).findFirst();
    }

    static boolean abandoned(Image i, Instant at) {
        return !at.isBefore(i.updatedAt().plus(ABANDONED_AFTER));
    }

    static Image image(ClusterState state, String id) {
        Checks.required(id, "image id");
        return state.image(id).orElseThrow(() -> Rejection.notFound("image " + Names.quote(id) + " does not exist"));
    }
}
