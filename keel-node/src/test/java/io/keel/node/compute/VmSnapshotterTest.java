package io.keel.node.compute;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.api.ApiException;
import io.keel.compute.qmp.QmpClient;
import io.keel.compute.qmp.QmpClientOptions;
import io.keel.meta.cluster.ClusterCommand;
import io.keel.meta.cluster.Vm;
import io.keel.meta.cluster.VmDiskRef;
import io.keel.meta.cluster.VmPlacement;
import io.keel.meta.cluster.VmPower;
import io.keel.meta.cluster.VmSnapshotRequest;
import io.keel.meta.cluster.VmStatus;
import io.keel.storage.volume.VolumeHandle;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VmSnapshotterTest {
    private static final Instant NOW = Instant.parse("2026-12-02T20:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Vm VM = new Vm("m1", "web", "tiny", 1, 512, List.of(new VmDiskRef("v1", true),
            new VmDiskRef("v2", true)), "n2", VmPlacement.AUTO, VmPower.RUNNING, null, 0, false, VmStatus.ACTIVE, "",
            null, NOW, NOW, null);
    private static final VmSnapshotRequest REQUEST = new VmSnapshotRequest("m1", "s1", "before", false, NOW, null, null);

    @TempDir
    Path dir;

    private final List<String> events = new CopyOnWriteArrayList<>();
    private final List<ClusterCommand> submitted = new CopyOnWriteArrayList<>();

    private VmSnapshotter snapshotter(Consumer<ClusterCommand> submit, Duration maxPause) {
        Map<String, VolumeHandle> writers = Map.of("v1", new FakeWriter("v1", 7, events),
                "v2", new FakeWriter("v2", 9, events));
        return new VmSnapshotter("n2", () -> writers, c -> {
            submit.accept(c);
            submitted.add(c);
        }, CLOCK, maxPause, (id, write) -> {
            throw new java.io.IOException("no volumes here");
        });
    }

    private QmpClient connect() throws Exception {
        return QmpClient.connect(dir.resolve("qmp.sock"), QmpClientOptions.defaults()
                .withConnectTimeout(Duration.ofSeconds(5)));
    }

    @Test
    void theGuestIsStoppedAroundOneCommandThatSnapshotsEveryQuiescedDisk() throws Exception {
        VmSnapshotter s = snapshotter(c -> events.add("submit " + c.getClass().getSimpleName()), Duration.ofSeconds(5));
        try (FakeQemuQmp qemu = new FakeQemuQmp(dir.resolve("qmp.sock"), true, events); QmpClient qmp = connect()) {
            assertThat(s.wants(REQUEST)).isTrue();
            s.take(VM, REQUEST, Optional.of(qmp), new VmRuntime(dir));
            assertThat(events).containsExactly("stop", "quiesce v1", "quiesce v2", "submit CreateVmSnapshot",
                    "resume v2", "resume v1", "cont");
            assertThat(qemu.running()).isTrue();
        }
        ClusterCommand.CreateVmSnapshot c = (ClusterCommand.CreateVmSnapshot) submitted.getFirst();
        assertThat(c.volumeSnapshots()).extracting(ClusterCommand.CreateSnapshot::volumeId,
                ClusterCommand.CreateSnapshot::epoch, ClusterCommand.CreateSnapshot::snapshotId)
                .containsExactly(Tuple.tuple("v1", 7L, "s1-1"), Tuple.tuple("v2", 9L, "s1-2"));
        assertThat(c.pausedMillis()).isBetween(0L, 5_000L);
        // Acted on once: the next round may still see the request before the command's effect.
        assertThat(s.wants(REQUEST)).isFalse();
    }

    @Test
    void aRefusedSnapshotResumesTheGuestAndReportsWhy() throws Exception {
        VmSnapshotter s = snapshotter(c -> {
            if (c instanceof ClusterCommand.CreateVmSnapshot) {
                throw ApiException.conflict("volume disk-2 is open for writing by another node");
            }
        }, Duration.ofSeconds(5));
        try (FakeQemuQmp qemu = new FakeQemuQmp(dir.resolve("qmp.sock"), true, events); QmpClient qmp = connect()) {
            s.take(VM, REQUEST, Optional.of(qmp), new VmRuntime(dir));
            assertThat(qemu.running()).isTrue();
        }
        assertThat(events).startsWith("stop").endsWith("cont");
        assertThat(submitted).singleElement().isEqualTo(new ClusterCommand.FailVmSnapshot("m1", "s1", "n2",
                "volume disk-2 is open for writing by another node"));
    }

    @Test
    void theGuestRunsAgainAfterTheLongestPauseEvenIfRecordingHangs() throws Exception {
        CountDownLatch resumed = new CountDownLatch(1);
        VmSnapshotter s = snapshotter(c -> {
            if (c instanceof ClusterCommand.CreateVmSnapshot) {
                try {
                    // The metadata answers only once the guest runs again; the writers stay quiesced meanwhile.
                    assertThat(resumed.await(10, TimeUnit.SECONDS)).isTrue();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                events.add("recorded");
            }
        }, Duration.ofMillis(200));
        try (FakeQemuQmp qemu = new FakeQemuQmp(dir.resolve("qmp.sock"), true, events); QmpClient qmp = connect()) {
            Thread t = Thread.ofVirtual().start(() -> s.take(VM, REQUEST, Optional.of(qmp), new VmRuntime(dir)));
            assertThat(qemu.awaitCont(Duration.ofSeconds(10))).isTrue();
            assertThat(events).containsExactly("stop", "quiesce v1", "quiesce v2", "cont");
            resumed.countDown();
            t.join(Duration.ofSeconds(10));
            assertThat(events).endsWith("recorded", "resume v2", "resume v1");
        }
        assertThat(submitted).singleElement().isInstanceOf(ClusterCommand.CreateVmSnapshot.class);
    }

    @Test
    void aPausedGuestIsNeitherStoppedNorResumed() throws Exception {
        VmSnapshotter s = snapshotter(c -> { }, Duration.ofSeconds(5));
        try (FakeQemuQmp qemu = new FakeQemuQmp(dir.resolve("qmp.sock"), false, events); QmpClient qmp = connect()) {
            s.take(VM, REQUEST, Optional.of(qmp), new VmRuntime(dir));
            assertThat(qemu.running()).isFalse();
        }
        assertThat(events).doesNotContain("stop", "cont");
        assertThat(((ClusterCommand.CreateVmSnapshot) submitted.getFirst()).pausedMillis()).isZero();
    }

    @Test
    void aStaleRequestOrOneWithoutQemuIsRefusedWithTheReason() {
        VmSnapshotter s = snapshotter(c -> { }, Duration.ofSeconds(5));
        s.take(VM, new VmSnapshotRequest("m1", "s2", "old", false, NOW.minusSeconds(31), null, null), Optional.empty(),
                new VmRuntime(dir));
        s.take(VM, REQUEST, Optional.empty(), new VmRuntime(dir));
        assertThat(submitted).extracting(c -> ((ClusterCommand.FailVmSnapshot) c).reason()).containsExactly(
                "the request waited too long for this node's agent: ask again",
                "QEMU does not run on the host: stop the VM and snapshot it stopped");
    }
}
