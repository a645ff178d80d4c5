package io.keel.meta.cluster;

import static io.keel.meta.cluster.RejectionCodes.CONFLICT;
import static io.keel.meta.cluster.RejectionCodes.INVALID;
import static io.keel.meta.cluster.RejectionCodes.NOT_FOUND;
import static org.assertj.core.api.Assertions.assertThat;

import io.keel.meta.cluster.ClusterCommand.AcquireLease;
import io.keel.meta.cluster.ClusterCommand.CloneVolume;
import io.keel.meta.cluster.ClusterCommand.CreateImage;
import io.keel.meta.cluster.ClusterCommand.CreateSnapshot;
import io.keel.meta.cluster.ClusterCommand.CreateVolume;
import io.keel.meta.cluster.ClusterCommand.DeleteImage;
import io.keel.meta.cluster.ClusterCommand.DeleteSnapshot;
import io.keel.meta.cluster.ClusterCommand.DeleteVolume;
import io.keel.meta.cluster.ClusterCommand.UpdateImageStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ImageCommandsTest {
    private static final Instant T0 = Fixtures.T0;
    private static final long MIB = 1L << 20;

    /** Three hosts with chunk services, policy "single", and image i1 "debian" QUEUED. */
    private static Harness cluster() {
        Harness h = Harness.withChunkServices();
        h.applied(create("i1", "debian", null));
        return h;
    }

    private static CreateImage create(String id, String name, ImageFormat format) {
        return new CreateImage(id, name, format, "linux", false, "single", T0);
    }

    private static UpdateImageStatus report(String upload, ImageStatus status, String volume, String snapshot,
            Instant at) {
        return new UpdateImageStatus("i1", upload, "n1", status, status == ImageStatus.ERROR ? "broken" : null,
                ImageFormat.QCOW2, MIB, 8 * MIB, volume, snapshot, at);
    }

    /** Runs the node's steps of a good upload: i1 ends ACTIVE on volume vi1 with golden snapshot si1. */
    private static void upload(Harness h) {
        h.applied(report("u1", ImageStatus.UPLOADING, null, null, T0.plusSeconds(1)));
        h.applied(new CreateVolume("vi1", "image-debian", 8 * MIB, 64 << 20, "single", T0.plusSeconds(2)));
        h.applied(report("u1", ImageStatus.CONVERTING, "vi1", null, T0.plusSeconds(3)));
        h.applied(new CreateSnapshot("vi1", "si1", Image.GOLDEN_SNAPSHOT, 0, T0.plusSeconds(4)));
        h.applied(report("u1", ImageStatus.ACTIVE, "vi1", "si1", T0.plusSeconds(5)));
    }

    @Test
    void anImageIsQueuedThenActiveWithItsVolumeAndSnapshot() {
        Harness h = cluster();
        Image queued = h.state().imageByIdOrName("debian").orElseThrow();
        assertThat(queued.status()).isEqualTo(ImageStatus.QUEUED);
        assertThat(queued.format()).isNull();
        assertThat(queued.osType()).isEqualTo("linux");
        upload(h);
        Image active = h.state().image("i1").orElseThrow();
        assertThat(active.status()).isEqualTo(ImageStatus.ACTIVE);
        assertThat(active.format()).isEqualTo(ImageFormat.QCOW2);
        assertThat(active.volumeId()).isEqualTo("vi1");
        assertThat(active.snapshotId()).isEqualTo("si1");
        assertThat(active.virtualSizeBytes()).isEqualTo(8 * MIB);
        assertThat(active.node()).isEqualTo("n1");
        assertThat(active.updatedAt()).isEqualTo(T0.plusSeconds(5));
    }

    @Test
    void theFinalReportDeliveredTwiceIsAnsweredAsApplied() {
        Harness h = cluster();
        upload(h);
        int writes = h.kv.writes();
        assertThat(h.applied(report("u1", ImageStatus.ACTIVE, "vi1", "si1", T0.plusSeconds(5)))).isEqualTo("i1");
        assertThat(h.kv.writes()).isEqualTo(writes);
        // A later, different report of the same attempt is not a replay: the attempt has ended.
        assertThat(h.rejected(report("u1", ImageStatus.ACTIVE, "vi1", "si1", T0.plusSeconds(6)), CONFLICT))
                .isEqualTo("upload \"u1\" of image \"debian\" has already ended (ACTIVE)");
    }

    @Test
    void aCreateDeliveredTwiceIsAppliedOnce() {
        Harness h = cluster();
        assertThat(h.applied(create("i1", "debian", null))).isEqualTo("i1");
        assertThat(h.state().images()).hasSize(1);
        assertThat(h.rejected(create("i1", "other", null), CONFLICT)).isEqualTo("image id \"i1\" is taken");
    }

    @Test
    void nameClashesAreRefusedNamingWhatExists() {
        Harness h = cluster();
        assertThat(h.rejected(create("i2", "debian", null), CONFLICT)).isEqualTo("an image named \"debian\""
                + " already exists (id \"i1\", QUEUED): choose another name or delete it first");
        h.applied(new CreateVolume("v9", "image-ubuntu", 8 * MIB, 64 << 20, "single", T0));
        assertThat(h.rejected(create("i2", "ubuntu", null), CONFLICT)).startsWith("a volume named \"image-ubuntu\""
                + " already exists");
    }

    @Test
    void badInputIsRefusedWithTheRule() {
        Harness h = cluster();
        assertThat(h.rejected(create("i2", "bad name", null), INVALID)).startsWith("image name \"bad name\" is not valid");
        assertThat(h.rejected(create("i2", "x".repeat(58), null), INVALID)).contains("1-57");
        assertThat(h.rejected(create("I2", "ok", null), INVALID)).startsWith("image id \"I2\" is not valid");
        assertThat(h.rejected(new CreateImage("i2", "ok", null, "Linux", false, "single", T0), INVALID))
                .startsWith("OS type \"Linux\" is not valid");
        assertThat(h.rejected(new CreateImage("i2", "ok", null, "linux", false, "nope", T0), NOT_FOUND))
                .startsWith("no storage policy \"nope\"");
        assertThat(h.rejected(new UpdateImageStatus("i1", "u1", "n1",
                ImageStatus.ERROR, null, null, 0, 0, null, null, T0), INVALID))
                .isEqualTo("an image in ERROR needs the reason");
        assertThat(h.rejected(report("u1", ImageStatus.QUEUED, null, null, T0), INVALID)).contains("back to QUEUED");
    }

    @Test
    void needsAStorageCluster() {
        Harness h = Harness.withNodes(1);
        assertThat(h.rejected(create("i1", "debian", null), INVALID)).startsWith("there is no storage cluster yet");
    }

    @Test
    void oneUploadAtATimeAndNothingAfterActive() {
        Harness h = cluster();
        h.applied(report("u1", ImageStatus.UPLOADING, null, null, T0.plusSeconds(1)));
        // A second upload while the first reports is refused; a replayed report is harmless.
        assertThat(h.rejected(report("u2", ImageStatus.UPLOADING, null, null, T0.plusSeconds(2)), CONFLICT))
                .startsWith("image \"debian\" is being uploaded (UPLOADING through node \"n1\"");
        h.applied(report("u1", ImageStatus.UPLOADING, null, null, T0.plusSeconds(1)));
        assertThat(h.rejected(report("u2", ImageStatus.CONVERTING, null, null, T0.plusSeconds(2)), CONFLICT))
                .contains("is not the current upload");
        // One silent for five minutes is abandoned and may be replaced.
        h.applied(report("u2", ImageStatus.UPLOADING, null, null, T0.plusSeconds(301)));
        assertThat(h.rejected(report("u1", ImageStatus.CONVERTING, null, null, T0.plusSeconds(302)), CONFLICT))
                .contains("is not the current upload");
        h.applied(report("u2", ImageStatus.ERROR, null, null, T0.plusSeconds(303)));
        assertThat(h.rejected(report("u2", ImageStatus.UPLOADING, null, null, T0.plusSeconds(304)), CONFLICT))
                .contains("has already ended (ERROR)");
        upload(h);
        assertThat(h.rejected(report("u9", ImageStatus.UPLOADING, null, null, T0.plusSeconds(400)), CONFLICT))
                .startsWith("image \"debian\" is already uploaded and ACTIVE");
    }

    @Test
    void activeNeedsAnExistingVolumeAndItsSnapshot() {
        Harness h = cluster();
        h.applied(report("u1", ImageStatus.UPLOADING, null, null, T0.plusSeconds(1)));
        assertThat(h.rejected(report("u1", ImageStatus.CONVERTING, "ghost", null, T0), NOT_FOUND))
                .contains("volume \"ghost\" does not exist");
        h.applied(new CreateVolume("vi1", "image-debian", 8 * MIB, 64 << 20, "single", T0.plusSeconds(2)));
        assertThat(h.rejected(report("u1", ImageStatus.ACTIVE, "vi1", null, T0), INVALID))
                .contains("can only become ACTIVE with");
        h.applied(new CreateVolume("v2", "other", 8 * MIB, 64 << 20, "single", T0));
        h.applied(new CreateSnapshot("v2", "s2", "x", 0, T0));
        assertThat(h.rejected(report("u1", ImageStatus.ACTIVE, "vi1", "s2", T0), INVALID))
                .isEqualTo("snapshot \"s2\" is not a snapshot of volume \"vi1\"");
    }

    @Test
    void deleteRemovesTheImageItsSnapshotAndItsVolume() {
        Harness h = cluster();
        upload(h);
        assertThat(h.applied(new DeleteImage("i1", T0.plusSeconds(10)))).isEqualTo("i1");
        assertThat(h.state().images()).isEmpty();
        assertThat(h.state().allVolumeRecords()).isEmpty();
        assertThat(h.rejected(new DeleteImage("i1", T0), NOT_FOUND)).isEqualTo("image \"i1\" does not exist");
    }

    @Test
    void deleteIsRefusedWhileClonesExistOrAnUploadReports() {
        Harness h = cluster();
        h.applied(report("u1", ImageStatus.UPLOADING, null, null, T0.plusSeconds(1)));
        assertThat(h.rejected(new DeleteImage("i1", T0.plusSeconds(2)), CONFLICT))
                .startsWith("image \"debian\" is being uploaded");
        h.applied(report("u1", ImageStatus.ERROR, null, null, T0.plusSeconds(3)));
        h.applied(new DeleteImage("i1", T0.plusSeconds(4)));

        h.applied(create("i1", "debian", null));
        upload(h);
        h.applied(new CloneVolume("si1", "vm1", "vm1-disk", null, T0.plusSeconds(6)));
        assertThat(h.rejected(new DeleteImage("i1", T0.plusSeconds(7)), CONFLICT)).isEqualTo("image \"debian\" is in"
                + " use: volumes \"vm1-disk\" are cloned from it; delete them (or the VMs using them) first");
        h.applied(new DeleteVolume("vm1", T0.plusSeconds(8)));
        h.applied(new AcquireLease("vi1", "n2", false, T0.plusSeconds(8), 30_000));
        assertThat(h.rejected(new DeleteImage("i1", T0.plusSeconds(9)), CONFLICT)).contains("is open for writing");
        assertThat(h.applied(new DeleteImage("i1", T0.plusSeconds(60)))).isEqualTo("i1");
    }

    @Test
    void theImageVolumeAndGoldenSnapshotCannotBeDeletedOnTheirOwn() {
        Harness h = cluster();
        upload(h);
        assertThat(h.rejected(new DeleteSnapshot("si1"), CONFLICT)).isEqualTo("snapshot \"golden\" is the golden"
                + " snapshot of image \"debian\": delete the image instead ('keel image delete debian')");
        assertThat(h.rejected(new DeleteVolume("vi1", T0.plusSeconds(9)), CONFLICT))
                .startsWith("volume \"image-debian\" holds image \"debian\"");
    }
}
