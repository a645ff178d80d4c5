package io.keel.node.service;

import io.keel.api.ApiException;
import io.keel.api.VmSnapshotService;
import io.keel.api.dto.CreateVmSnapshotRequest;
import io.keel.api.dto.RevertVmRequest;
import io.keel.api.dto.VmSnapshotDiskView;
import io.keel.api.dto.VmSnapshotView;
import io.keel.api.dto.VmView;
import io.keel.meta.cluster.ClusterCommand;
import io.keel.meta.cluster.ClusterState;
import io.keel.meta.cluster.NodeRecord;
import io.keel.meta.cluster.Vm;
import io.keel.meta.cluster.VmPower;
import io.keel.meta.cluster.VmSnapshot;
import io.keel.meta.cluster.VmSnapshotDisk;
import io.keel.meta.cluster.VmSnapshotRequest;
import io.keel.meta.cluster.VmStatus;
import io.keel.meta.cluster.Volume;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * VM snapshots over the metadata service (ADR 0020). A stopped VM's disks have no writer, so its
 * snapshot is recorded here in one command. A running or paused VM's snapshot is asked of its host
 * (a request in the metadata, like a power change) because only the host can stop the vCPUs and
 * quiesce the disks; this service waits, bounded, for the host to record it or say why not.
 */
public final class VmSnapshotServiceImpl implements VmSnapshotService {
    /** Longer than the host's limit on a request's age plus its bounded pause, so a late take is never missed. */
    private static final Duration HOST_WAIT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final int ATTEMPTS = 5;

    private final MetaGateway meta;
    private final Predicate<String> nodeAlive;
    private final Clock clock;
    private final SecureRandom random;

    public VmSnapshotServiceImpl(MetaGateway meta, Predicate<String> nodeAlive, Clock clock, SecureRandom random) {
        this.meta = Objects.requireNonNull(meta, "meta");
        this.nodeAlive = Objects.requireNonNull(nodeAlive, "nodeAlive");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    @Override
    public VmSnapshotView create(String vm, CreateVmSnapshotRequest request) {
        if (request == null || request.name() == null || request.name().isBlank()) {
            throw ApiException.invalid("a VM snapshot needs a name");
        }
        boolean memory = Boolean.TRUE.equals(request.memory());
        String id = newId();
        ClusterState s = meta.state();
        Vm v = vm(s, vm);
        if (v.power() == VmPower.STOPPED && !mayRun(v.status())) {
            if (memory) {
                throw ApiException.conflict("VM " + v.name() + " is " + lower(v.status()) + ": a stopped VM has no"
                        + " memory to save; take a snapshot without memory (its disks are all there is)");
            }
            return takeStopped(v, id, request.name());
        }
        return askHost(s, v, id, request.name(), memory);
    }

    private VmSnapshotView takeStopped(Vm v, String id, String name) {
        for (int attempt = 1; ; attempt++) {
            Instant at = clock.instant();
            List<ClusterCommand.CreateSnapshot> parts = new ArrayList<>();
            for (int i = 0; i < v.disks().size(); i++) {
                parts.add(new ClusterCommand.CreateSnapshot(v.disks().get(i).volumeId(), id + "-" + (i + 1), name, 0,
                        at));
            }
            try {
                meta.submit(new ClusterCommand.CreateVmSnapshot(v.id(), id, name, false, parts, 0, at, 0));
                return view(meta.state(), id);
            } catch (ApiException e) {
                // A QEMU that has just stopped may still be closing its disks: their leases go a moment later.
                if (attempt >= ATTEMPTS || !"conflict".equals(e.code()) || !e.getMessage().contains("open for writing")) {
                    throw e;
                }
                pause(attempt);
            }
        }
    }

    private VmSnapshotView askHost(ClusterState s, Vm v, String id, String name, boolean memory) {
        if (v.status() != VmStatus.ACTIVE && v.status() != VmStatus.PAUSED) {
            throw ApiException.conflict("VM " + v.name() + " is " + lower(v.status()) + " (asked to be "
                    + lower(v.power()) + "): snapshot it once it runs or has stopped");
        }
        if (!nodeAlive.test(v.nodeId())) {
            throw new ApiException(503, "unavailable", "the host of VM " + v.name() + ", node " + nodeName(s, v)
                    + ", is down: a running VM is snapshotted by its host");
        }
        Instant at = clock.instant();
        meta.submit(new ClusterCommand.RequestVmSnapshot(v.id(), id, name, memory, at,
                memory ? VmSuspends.snapshotStateVolume(s, v, name, id, at) : null));
        long deadline = System.nanoTime() + HOST_WAIT.toNanos();
        while (true) {
            ClusterState now = meta.state();
            if (now.vmSnapshot(id).isPresent()) {
                return view(now, id);
            }
            Optional<VmSnapshotRequest> r = now.vmSnapshotRequest(v.id()).filter(x -> x.snapshotId().equals(id));
            if (r.isPresent() && !r.get().pending()) {
                throw ApiException.conflict("the snapshot of VM " + v.name() + " was not taken: " + r.get().failure());
            }
            if (r.isEmpty() || System.nanoTime() >= deadline) {
                throw new ApiException(503, "unavailable", "the host of VM " + v.name() + ", node " + nodeName(now, v)
                        + ", did not take the snapshot within " + HOST_WAIT.toSeconds() + " s; nothing was taken");
            }
            sleep(POLL);
        }
    }

    @Override
    public List<VmSnapshotView> list(String vm) {
        ClusterState s = meta.state();
        return s.vmSnapshots(vm(s, vm).id()).stream().map(x -> view(s, x)).toList();
    }

    @Override
    public VmSnapshotView get(String vm, String snapshot) {
        ClusterState s = meta.state();
        return view(s, snapshot(s, vm(s, vm), snapshot));
    }

    @Override
    public void delete(String vm, String snapshot) {
        ClusterState s = meta.state();
        meta.submit(new ClusterCommand.DeleteVmSnapshot(snapshot(s, vm(s, vm), snapshot).id()));
    }

    @Override
    public VmView revert(String vm, String snapshot, RevertVmRequest request) {
        RevertVmRequest r = request == null ? RevertVmRequest.DEFAULTS : request;
        int wait = r.waitSeconds() == null ? VmServiceImpl.DEFAULT_WAIT_SECONDS : r.waitSeconds();
        if (wait < 0 || wait > 3600) {
            throw ApiException.invalid("waitSeconds must be 0-3600, got " + wait);
        }
        ClusterState s = meta.state();
        Vm v = vm(s, vm);
        VmSnapshot snap = snapshot(s, v, snapshot);
        boolean start = Boolean.TRUE.equals(r.start());
        Instant at = clock.instant();
        for (int attempt = 1; ; attempt++) {
            try {
                meta.submit(new ClusterCommand.RevertVm(v.id(), snap.id(), start, clock.instant()));
                break;
            } catch (ApiException e) {
                // As for snapshots: a QEMU that has just stopped may still be closing its disks.
                if (attempt >= ATTEMPTS || !"conflict".equals(e.code()) || !e.getMessage().contains("open for writing")) {
                    throw e;
                }
                pause(attempt);
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(start ? wait : 0).toNanos();
        while (true) {
            ClusterState now = meta.state();
            Vm x = now.vm(v.id()).orElseThrow(() -> ApiException.notFound("VM " + v.name() + " was deleted meanwhile"));
            boolean settled = x.status() == VmStatus.ACTIVE
                    || (x.status() == VmStatus.ERROR && !x.statusAt().isBefore(at));
            if (!start || settled || System.nanoTime() >= deadline) {
                return VmServiceImpl.view(now, x);
            }
            sleep(Duration.ofMillis(200));
        }
    }

    private static VmSnapshotView view(ClusterState s, String id) {
        return view(s, s.vmSnapshot(id).orElseThrow(() -> ApiException.notFound("no VM snapshot " + id)));
    }

    private static VmSnapshotView view(ClusterState s, VmSnapshot x) {
        List<VmSnapshotDiskView> disks = new ArrayList<>();
        for (VmSnapshotDisk d : x.disks()) {
            disks.add(new VmSnapshotDiskView(s.volume(d.volumeId()).map(Volume::name).orElse("(deleted)"), d.volumeId(),
                    s.volume(d.snapshotId()).map(Volume::name).orElse("(deleted)"), d.snapshotId()));
        }
        String vm = s.vm(x.vmId()).map(Vm::name).orElse(x.vmId());
        String stateVolume = x.stateVolumeId() == null ? null
                : s.volume(x.stateVolumeId()).map(Volume::name).orElse("(deleted)");
        return new VmSnapshotView(x.id(), x.name(), vm, x.createdAt(), x.withMemory(), x.pausedMillis(), disks,
                stateVolume, x.stateBytes());
    }

    private static Vm vm(ClusterState s, String idOrName) {
        return s.vmByIdOrName(Objects.requireNonNull(idOrName, "vm"))
                .orElseThrow(() -> ApiException.notFound("no VM " + idOrName));
    }

    private static VmSnapshot snapshot(ClusterState s, Vm v, String idOrName) {
        return s.vmSnapshotByIdOrName(v.id(), Objects.requireNonNull(idOrName, "snapshot"))
                .orElseThrow(() -> ApiException.notFound("VM " + v.name() + " has no snapshot " + idOrName));
    }

    private static boolean mayRun(VmStatus s) {
        return s == VmStatus.ACTIVE || s == VmStatus.PAUSED || s == VmStatus.MIGRATING;
    }

    private static String nodeName(ClusterState s, Vm v) {
        return s.node(v.nodeId()).map(NodeRecord::name).orElse(v.nodeId());
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    private static void pause(int attempt) {
        sleep(Duration.ofMillis(200L * attempt));
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "unavailable", "interrupted while waiting for the VM's host");
        }
    }

    private String newId() {
        return "n" + HexFormat.of().toHexDigits(random.nextLong()).substring(1);
    }
}
