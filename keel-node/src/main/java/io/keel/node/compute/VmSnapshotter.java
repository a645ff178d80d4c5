package io.keel.node.compute;

import io.keel.block.BlockDevice;
import io.keel.compute.qmp.QmpClient;
import io.keel.compute.qmp.QmpException;
import io.keel.meta.cluster.ClusterCommand;
import io.keel.meta.cluster.Vm;
import io.keel.meta.cluster.VmDiskRef;
import io.keel.meta.cluster.VmSnapshotRequest;
import io.keel.storage.volume.VolumeHandle;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SequencedSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the VM snapshots that the API asked this host for (ADR 0020). The guest's vCPUs are
 * stopped over the VM's own QMP connection (QEMU drains and flushes its disks when it stops), every
 * disk's writer on this node is quiesced, one command records all the volume snapshots with those
 * writers' epochs, and the vCPUs run again. Runs inside the VM's supervisor step, so no power
 * change of the agent interleaves with the pause.
 *
 * <p>The pause is bounded: if recording takes longer than {@code maxPause} the vCPUs resume
 * anyway. That keeps the set consistent, because the quiesced writers hold every disk write until
 * the command is answered, whatever the guest does meanwhile.
 *
 * <p>With memory (ADR 0024), the machine state is saved into the request's state volume while the
 * vCPUs are stopped, before the disks are snapshotted, with the suspend's machinery
 * ({@link StateSaver}); the pause then lasts as long as writing the guest's RAM. A failed save
 * is cancelled, the guest continues, and the failure report makes the metadata drop the volume.
 */
public final class VmSnapshotter {
    private static final Logger log = LoggerFactory.getLogger(VmSnapshotter.class);
    /** Older requests are refused: the API has given up on them (it waits a minute) and says so. */
    static final Duration MAX_REQUEST_AGE = Duration.ofSeconds(30);
    private static final Duration OUTCOME_WAIT = Duration.ofSeconds(60);
    private static final int REMEMBERED = 64;

    private final String selfId;
    private final Supplier<Map<String, VolumeHandle>> writers;
    private final Consumer<ClusterCommand> submit;
    private final Clock clock;
    private final Duration maxPause;
    private final VmSuspender.Volumes volumes;
    /** Requests already acted on: the state a tick reads may not show the outcome yet. */
    private final SequencedSet<String> done = new LinkedHashSet<>();

    /**
     * @param writers  the volumes this node holds open for writing, by id
     * @param maxPause how long the guest's vCPUs may stay stopped for recording one snapshot (a memory
     *                 snapshot's save comes on top)
     * @param volumes  opens a memory snapshot's state volume for writing
     */
    public VmSnapshotter(String selfId, Supplier<Map<String, VolumeHandle>> writers, Consumer<ClusterCommand> submit,
            Clock clock, Duration maxPause, VmSuspender.Volumes volumes) {
        this.selfId = Objects.requireNonNull(selfId, "selfId");
        this.writers = Objects.requireNonNull(writers, "writers");
        this.submit = Objects.requireNonNull(submit, "submit");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxPause = Objects.requireNonNull(maxPause, "maxPause");
        this.volumes = Objects.requireNonNull(volumes, "volumes");
    }

    /** True if {@code r} is one this node has not acted on yet. */
    public synchronized boolean wants(VmSnapshotRequest r) {
        return r.pending() && !done.contains(r.snapshotId());
    }

    /** Takes the snapshot, or reports why not; never leaves the guest stopped by it. */
    void take(Vm vm, VmSnapshotRequest r, Optional<QmpClient> qmp, VmRuntime runtime) {
        synchronized (this) {
            if (!done.add(r.snapshotId())) {
                return;
            }
            if (done.size() > REMEMBERED) {
                done.removeFirst();
            }
        }
        try {
            if (r.requestedAt().plus(MAX_REQUEST_AGE).isBefore(clock.instant())) {
                throw new SnapshotFailed("the request waited too long for this node's agent: ask again");
            }
            if (qmp.isEmpty()) {
                throw new SnapshotFailed("QEMU does not run on the host: stop the VM and snapshot it stopped");
            }
            long paused = pausedFor(vm, r, qmp.get(), runtime);
            log.info("VM {}: snapshot {} taken{}, vCPUs stopped for {} ms", vm.name(), r.name(),
                    r.withMemory() ? " with memory" : "", paused);
        } catch (SnapshotFailed | QmpException | RuntimeException e) {
            fail(vm, r, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(vm, r, "the host's agent is stopping");
        }
    }

    /** Returns how long the vCPUs were stopped (0 for a guest that was paused already). */
    private long pausedFor(Vm vm, VmSnapshotRequest r, QmpClient qmp, VmRuntime runtime)
            throws QmpException, InterruptedException, SnapshotFailed {
        boolean running = qmp.queryStatus().running();
        long start = System.nanoTime();
        if (running) {
            qmp.stop();
        }
        CompletableFuture<Void> recorded = new CompletableFuture<>();
        try {
            long stateBytes = r.withMemory() ? saveMemory(vm, r, qmp, runtime) : 0;
            Thread.ofVirtual().name("vm-snapshot-" + vm.name()).start(() -> {
                try {
                    record(vm, r, running ? start : 0L, stateBytes);
                    recorded.complete(null);
                } catch (RuntimeException e) {
                    recorded.completeExceptionally(e);
                }
            });
            try {
                recorded.get(maxPause.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                // Reported below, once the guest runs again.
            } catch (TimeoutException e) {
                log.warn("VM {}: snapshot {} not recorded within {} ms: resuming the guest, its disk writes wait",
                        vm.name(), r.name(), maxPause.toMillis());
            }
        } finally {
            if (running) {
                // Resumed whatever happened; should this fail, the supervisor's next step resumes it.
                qmp.cont();
            }
        }
        long paused = running ? Duration.ofNanos(System.nanoTime() - start).toMillis() : 0;
        try {
            recorded.get(OUTCOME_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new SnapshotFailed(Objects.requireNonNullElse(e.getCause().getMessage(), e.getCause().toString()));
        } catch (TimeoutException e) {
            throw new SnapshotFailed("the metadata service did not answer within " + OUTCOME_WAIT.toSeconds() + " s");
        }
        return paused;
    }

    /** Quiesces every disk's writer on this node, one inside the other, and records the set in one command. */
    private void record(Vm vm, VmSnapshotRequest r, long pausedSince, long stateBytes) {
        Map<String, VolumeHandle> open = writers.get();
        List<VolumeHandle> handles = new ArrayList<>();
        for (VmDiskRef d : vm.disks()) {
            VolumeHandle h = open.get(d.volumeId());
            if (h != null && !h.isClosed()) {
                handles.add(h);
            }
        }
        quiesced(handles, 0, () -> {
            Instant at = clock.instant();
            List<ClusterCommand.CreateSnapshot> parts = new ArrayList<>();
            for (int i = 0; i < vm.disks().size(); i++) {
                String volumeId = vm.disks().get(i).volumeId();
                // A disk nobody writes is snapshotted with epoch 0; the logic refuses it if a writer appeared.
                long epoch = handles.stream().filter(h -> h.volumeId().equals(volumeId)).mapToLong(VolumeHandle::epoch)
                        .findFirst().orElse(0);
                parts.add(new ClusterCommand.CreateSnapshot(volumeId, r.snapshotId() + "-" + (i + 1), r.name(), epoch,
                        at));
            }
            long paused = pausedSince == 0 ? 0 : Duration.ofNanos(System.nanoTime() - pausedSince).toMillis();
            submit.accept(new ClusterCommand.CreateVmSnapshot(vm.id(), r.snapshotId(), r.name(), r.withMemory(), parts,
                    paused, at, stateBytes));
        });
    }

    /**
     * Writes the stopped guest's machine state into the request's state volume; returns its length.
     * QEMU ends in its post-migration state with its disks flushed; {@code cont} runs the guest again.
     */
    private long saveMemory(Vm vm, VmSnapshotRequest r, QmpClient qmp, VmRuntime runtime)
            throws SnapshotFailed, InterruptedException {
        if (r.stateVolumeId() == null) {
            throw new SnapshotFailed("the request names no volume for the memory");
        }
        long t0 = System.nanoTime();
        try (BlockDevice dev = volumes.open(r.stateVolumeId(), true)) {
            long bytes = StateSaver.save(qmp, dev, runtime.dir().resolve("state.sock"), b -> {});
            log.info("VM {}: snapshot {}: {} bytes of machine state saved in {} ms", vm.name(), r.name(), bytes,
                    Duration.ofNanos(System.nanoTime() - t0).toMillis());
            return bytes;
        } catch (IOException e) {
            try {
                qmp.execute("migrate_cancel");
            } catch (IOException again) {
                log.warn("VM {}: after the failed save of snapshot {}: {}", vm.name(), r.name(), again.getMessage());
            }
            throw new SnapshotFailed("the memory could not be saved: " + e.getMessage());
        }
    }

    private static void quiesced(List<VolumeHandle> handles, int i, Runnable action) {
        if (i == handles.size()) {
            action.run();
            return;
        }
        handles.get(i).quiesce(() -> {
            quiesced(handles, i + 1, action);
            return null;
        });
    }

    private void fail(Vm vm, VmSnapshotRequest r, String reason) {
        log.warn("VM {}: snapshot {} not taken: {}", vm.name(), r.name(), reason);
        try {
            submit.accept(new ClusterCommand.FailVmSnapshot(vm.id(), r.snapshotId(), selfId, reason));
        } catch (RuntimeException e) {
            log.warn("VM {}: cannot report the failed snapshot {}: {}", vm.name(), r.name(), e.getMessage());
        }
    }

    /** A reason the snapshot was not taken, worded for the administrator. */
    private static final class SnapshotFailed extends Exception {
        SnapshotFailed(String message) {
            super(message, null, false, false);
        }
    }
}
