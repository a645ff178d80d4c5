package io.keel.node.service;

import io.keel.api.ApiException;
import io.keel.api.Sizes;
import io.keel.api.VmService;
import io.keel.api.dto.CreateVmRequest;
import io.keel.api.dto.MigrateVmRequest;
import io.keel.api.dto.NewDiskRequest;
import io.keel.api.dto.RenameVmRequest;
import io.keel.api.dto.ResizeVmRequest;
import io.keel.api.dto.VmActionRequest;
import io.keel.api.dto.NewNicRequest;
import io.keel.api.dto.VmDiskView;
import io.keel.api.dto.VmNicView;
import io.keel.api.dto.VmMigrationView;
import io.keel.api.dto.VmHaView;
import io.keel.api.dto.VmView;
import io.keel.meta.cluster.ClusterCommand;
import io.keel.meta.cluster.ClusterState;
import io.keel.meta.cluster.Flavor;
import io.keel.meta.cluster.Image;
import io.keel.meta.cluster.ImageStatus;
import io.keel.meta.cluster.MigrationPhase;
import io.keel.meta.cluster.NodeRecord;
import io.keel.meta.cluster.Vm;
import io.keel.meta.cluster.VmDiskRef;
import io.keel.meta.cluster.VmNic;
import io.keel.meta.cluster.VmMigration;
import io.keel.meta.cluster.VmPlacement;
import io.keel.meta.cluster.VmPower;
import io.keel.meta.cluster.VmStatus;
import io.keel.meta.cluster.VmStopMode;
import io.keel.meta.cluster.Volume;
import io.keel.meta.cluster.VolumeCommands;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * VMs over the metadata service. An action records the desired state; the agent of the VM's host
 * node carries it out and reports the status, which this service waits for (bounded) so that the
 * caller gets the VM as it ended up. Node liveness and the choice of host are decided here, from
 * this node's heartbeat view; everything stored is checked by the replicated logic.
 */
public final class VmServiceImpl implements VmService {
    static final int DEFAULT_WAIT_SECONDS = 120;
    private static final Duration POLL = Duration.ofMillis(200);

    private final MetaGateway meta;
    private final VolumeServiceImpl volumes;
    private final Predicate<String> nodeAlive;
    private final Clock clock;
    private final SecureRandom random;

    public VmServiceImpl(MetaGateway meta, VolumeServiceImpl volumes, Predicate<String> nodeAlive, Clock clock,
            SecureRandom random) {
        this.meta = Objects.requireNonNull(meta, "meta");
        this.volumes = Objects.requireNonNull(volumes, "volumes");
        this.nodeAlive = Objects.requireNonNull(nodeAlive, "nodeAlive");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    @Override
    public List<VmView> list() {
        ClusterState s = meta.state();
        return s.vms().stream().map(v -> view(s, v)).toList();
    }

    @Override
    public VmView get(String vm) {
        ClusterState s = meta.state();
        return view(s, vm(s, vm));
    }

    @Override
    public VmView create(CreateVmRequest r) {
        if (r == null || r.name() == null || r.name().isBlank()) {
            throw ApiException.invalid("a VM needs a name");
        }
        if (r.flavor() == null || r.flavor().isBlank()) {
            throw ApiException.invalid("a VM needs a flavor: list them with 'keel flavor list'");
        }
        ClusterState s = meta.state();
        ClusterServiceImpl.initialised(s);
        Flavor flavor = s.flavor(r.flavor()).orElseThrow(() -> ApiException.invalid("no flavor '" + r.flavor()
                + "': list them with 'keel flavor list'"));
        Image cdrom = r.cdrom() == null ? null : s.imageByIdOrName(r.cdrom()).orElseThrow(
                () -> ApiException.invalid("no image '" + r.cdrom() + "' for the CD-ROM drive: list them with"
                        + " 'keel image list'"));
        boolean blankBoot = cdrom != null && r.volume() == null && r.image() == null;
        if (!blankBoot && (r.volume() == null) == (r.image() == null)) {
            throw ApiException.invalid("a VM boots from an existing volume (volume) or from an image (image):"
                    + " give exactly one (or a CD-ROM image and bootSize for an empty boot disk to install on)");
        }
        if (blankBoot && r.bootSize() == null) {
            throw ApiException.invalid("a VM installed from a CD needs bootSize, the size of its empty boot disk");
        }
        Instant at = clock.instant();
        String id = newId("m");
        List<VmDiskRef> disks = new ArrayList<>();
        ClusterCommand.CloneVolume bootClone = null;
        Image image = null;
        long bootSize = 0;
        List<ClusterCommand.CreateVolume> fresh = new ArrayList<>();
        if (blankBoot) {
            String bootId = newId("v");
            fresh.add(new ClusterCommand.CreateVolume(bootId, r.name() + "-boot", Sizes.parse("bootSize", r.bootSize()),
                    VolumeCommands.DEFAULT_CHUNK, r.policy() != null ? r.policy() : volumes.onlyPolicy(), at));
            disks.add(new VmDiskRef(bootId, true));
        } else if (r.image() != null) {
            image = activeImage(s, r.image());
            bootClone = new ClusterCommand.CloneVolume(image.snapshotId(), newId("v"), r.name() + "-boot",
                    r.policy(), at);
            disks.add(new VmDiskRef(bootClone.cloneId(), true));
            if (r.bootSize() != null) {
                bootSize = Sizes.parse("bootSize", r.bootSize());
                if (bootSize < image.virtualSizeBytes()) {
                    throw ApiException.invalid("bootSize " + r.bootSize() + " is smaller than image " + image.name()
                            + " (" + image.virtualSizeBytes() + " bytes): a boot disk never shrinks");
                }
            }
        } else {
            if (r.bootSize() != null) {
                throw ApiException.invalid("bootSize applies to a boot disk made from an image: extend an existing"
                        + " volume with 'keel volume extend'");
            }
            Volume boot = s.volumeByIdOrName(r.volume()).filter(v -> !v.isSnapshot())
                    .orElseThrow(() -> ApiException.invalid("no volume '" + r.volume() + "'"));
            disks.add(new VmDiskRef(boot.id(), false));
        }
        List<NewDiskRequest> extra = r.disks() == null ? List.of() : r.disks();
        for (int i = 0; i < extra.size(); i++) {
            NewDiskRequest d = Objects.requireNonNullElse(extra.get(i), new NewDiskRequest(null, null));
            long size = Sizes.parse("disk size", d.size());
            String policy = d.policy() != null ? d.policy() : r.policy() != null ? r.policy() : volumes.onlyPolicy();
            String volumeId = newId("v");
            fresh.add(new ClusterCommand.CreateVolume(volumeId, r.name() + "-disk" + (i + 1), size,
                    VolumeCommands.DEFAULT_CHUNK, policy, at));
            disks.add(new VmDiskRef(volumeId, true));
        }
        NodeRecord node = r.node() != null ? liveComputeNode(s, r.node()) : VmPlacer.choose(s, nodeAlive, flavor);
        boolean start = r.start() == null || r.start();
        List<VmNic> nics = new ArrayList<>();
        java.util.Set<String> macs = new java.util.HashSet<>();
        for (NewNicRequest n : r.nics() == null ? List.<NewNicRequest>of() : r.nics()) {
            if (n == null || n.network() == null || n.network().isBlank()) {
                throw ApiException.invalid("every NIC needs a network: list them with 'keel network list'");
            }
            String mac = n.mac() != null ? NetworkServiceImpl.mac(n.mac()) : NetworkServiceImpl.freshMac(s, random, macs);
            macs.add(mac);
            nics.add(new VmNic(nics.size(), n.network(), mac, false));
        }
        meta.submit(new ClusterCommand.CreateVm(id, r.name(), flavor.name(), flavor.vcpus(), flavor.ramMiB(), disks,
                node.id(), placement(r.placement()), start ? VmPower.RUNNING : VmPower.STOPPED,
                image == null ? null : image.id(), fresh, bootClone, bootSize == 0 ? null : bootSize, at, nics,
                cdrom == null ? null : cdrom.id()));
        if (!start) {
            return get(id);
        }
        return await(id, wait(r.waitSeconds()), v -> v.status() == VmStatus.ACTIVE || failedSince(v, at));
    }

    @Override
    public VmView start(String vm, VmActionRequest r) {
        Vm v = vm(meta.state(), vm);
        Instant at = clock.instant();
        meta.submit(new ClusterCommand.SetVmPower(v.id(), VmPower.RUNNING, null));
        return await(v.id(), wait(r), x -> x.status() == VmStatus.ACTIVE || failedSince(x, at));
    }

    @Override
    public VmView stop(String vm, VmActionRequest r) {
        Vm v = vm(meta.state(), vm);
        Integer timeout = r != null && Boolean.TRUE.equals(r.force()) ? Integer.valueOf(0)
                : r != null && r.timeoutSeconds() != null ? r.timeoutSeconds()
                : Integer.valueOf(VmStopMode.DEFAULT_TIMEOUT_SECONDS);
        Instant at = clock.instant();
        meta.submit(new ClusterCommand.SetVmPower(v.id(), VmPower.STOPPED, timeout));
        return await(v.id(), wait(r), x -> x.status() == VmStatus.SHUTOFF || failedSince(x, at));
    }

    @Override
    public VmView reboot(String vm, VmActionRequest r) {
        Vm v = vm(meta.state(), vm);
        Instant at = clock.instant();
        meta.submit(new ClusterCommand.RebootVm(v.id(), r != null && Boolean.TRUE.equals(r.force())));
        return await(v.id(), wait(r), x -> x.statusAt().isAfter(at) && x.status() != VmStatus.BUILD);
    }

    @Override
    public VmView pause(String vm, VmActionRequest r) {
        Vm v = vm(meta.state(), vm);
        if (v.status() != VmStatus.ACTIVE) {
            throw ApiException.conflict("VM " + v.name() + " is " + lower(v.status()) + ": only a running VM can"
                    + " be paused");
        }
        Instant at = clock.instant();
        meta.submit(new ClusterCommand.SetVmPower(v.id(), VmPower.PAUSED, null));
        return await(v.id(), wait(r), x -> x.status() == VmStatus.PAUSED || failedSince(x, at));
    }

    @Override
    public VmView unpause(String vm, VmActionRequest r) {
        Vm v = vm(meta.state(), vm);
        if (v.status() != VmStatus.PAUSED) {
            throw ApiException.conflict("VM " + v.name() + " is " + lower(v.status()) + ", not paused");
        }
        Instant at = clock.instant();
        meta.submit(new ClusterCommand.SetVmPower(v.id(), VmPower.RUNNING, null));
        return await(v.id(), wait(r), x -> x.status() == VmStatus.ACTIVE || failedSince(x, at));
    }

    @Override
    public VmView suspend(String vm, VmActionRequest r) {
        ClusterState s = meta.state();
        Vm v = vm(s, vm);
        int seconds = wait(r);
        Instant at = clock.instant();
        meta.submit(VmSuspends.command(s, v, newId("v"), at));
        return await(v.id(), seconds, x -> x.status() == VmStatus.SUSPENDED || x.power() != VmPower.SUSPENDED
                || failedSince(x, at));
    }

    @Override
    public VmView resume(String vm, VmActionRequest r) {
        Vm v = vm(meta.state(), vm);
        int seconds = wait(r);
        Instant at = clock.instant();
        meta.submit(new ClusterCommand.ResumeVm(v.id(), at));
        return await(v.id(), seconds, x -> x.status() == VmStatus.ACTIVE || x.power() != VmPower.RUNNING
                || failedSince(x, at));
    }

    @Override
    public VmView migrate(String vm, MigrateVmRequest r) {
        if (r == null || r.node() == null || r.node().isBlank()) {
            throw ApiException.invalid("the node to migrate to is required");
        }
        ClusterState s = meta.state();
        Vm v = vm(s, vm);
        int seconds = wait(r.waitSeconds());
        NodeRecord target = liveComputeNode(s, r.node());
        String id = newId("g");
        Long bandwidth = r.maxBandwidth() == null ? null : Sizes.parse("maxBandwidth", r.maxBandwidth());
        meta.submit(new ClusterCommand.StartVmMigration(v.id(), id, target.id(), clock.instant(), bandwidth));
        return await(v.id(), seconds, x -> x.migration() == null || !x.migration().id().equals(id)
                || !x.migration().active());
    }

    @Override
    public VmView cancelMigration(String vm, VmActionRequest r) {
        Vm v = vm(meta.state(), vm);
        meta.submit(new ClusterCommand.CancelVmMigration(v.id(), clock.instant()));
        return await(v.id(), wait(r), x -> !x.migrating());
    }

    @Override
    public VmView rename(String vm, RenameVmRequest r) {
        Vm v = vm(meta.state(), vm);
        if (r == null || r.name() == null) {
            throw ApiException.invalid("the new name is required");
        }
        meta.submit(new ClusterCommand.RenameVm(v.id(), r.name()));
        return get(v.id());
    }

    @Override
    public VmView setPlacement(String vm, io.keel.api.dto.VmPlacementRequest r) {
        Vm v = vm(meta.state(), vm);
        if (r == null || r.strategy() == null || r.strategy().isBlank()) {
            throw ApiException.invalid("the placement strategy is required: auto, failover or pinned");
        }
        String node = r.node() == null || r.node().isBlank() ? null
                : ClusterServiceImpl.resolve(meta.state(), r.node()).id();
        meta.submit(new ClusterCommand.SetVmPlacement(v.id(), placement(r.strategy()), node));
        return get(v.id());
    }

    @Override
    public VmView resize(String vm, ResizeVmRequest r) {
        ClusterState s = meta.state();
        Vm v = vm(s, vm);
        if (r == null || r.flavor() == null || r.flavor().isBlank()) {
            throw ApiException.invalid("the new flavor is required");
        }
        Flavor f = s.flavor(r.flavor()).orElseThrow(() -> ApiException.invalid("no flavor '" + r.flavor()
                + "': list them with 'keel flavor list'"));
        meta.submit(new ClusterCommand.ResizeVm(v.id(), f.name(), f.vcpus(), f.ramMiB()));
        return get(v.id());
    }

    @Override
    public void delete(String vm, boolean deleteVolumes) {
        ClusterState state = meta.state();
        Vm v = vm(state, vm);
        // Checked before the VM is stopped, so a refused delete leaves it running.
        List<String> snaps = state.vmSnapshots(v.id()).stream().map(x -> x.name()).sorted().toList();
        if (!snaps.isEmpty()) {
            throw ApiException.conflict("VM \"" + v.name() + "\" has snapshots (" + String.join(", ", snaps)
                    + "): delete them first (keel vm snapshot delete)");
        }
        if (v.migrating()) {
            throw ApiException.conflict("VM " + v.name() + " is migrating: cancel the migration first");
        }
        if (v.power() != VmPower.STOPPED || mayRun(v)) {
            if (!nodeAlive.test(v.nodeId())) {
                throw ApiException.conflict("VM " + v.name() + " is " + lower(v.status()) + " on a node that is down:"
                        + " whether its QEMU still runs is unknown, so it is not deleted yet");
            }
            meta.submit(new ClusterCommand.SetVmPower(v.id(), VmPower.STOPPED, 0));
            VmView stopped = await(v.id(), DEFAULT_WAIT_SECONDS, x -> !mayRun(x));
            // A suspended VM has no QEMU: the stop only discarded its saved state.
            if (!"SHUTOFF".equals(stopped.status()) && !"ERROR".equals(stopped.status())
                    && !"SUSPENDED".equals(stopped.status())) {
                throw ApiException.conflict("VM " + v.name() + " did not stop in time (" + stopped.status() + ")");
            }
        }
        meta.submit(new ClusterCommand.DeleteVm(v.id()));
        if (deleteVolumes) {
            for (VmDiskRef d : v.disks()) {
                if (d.ownedByVm()) {
                    VolumeDeletion.deleteWhenReleased(meta, d.volumeId(), clock, Duration.ofSeconds(30));
                }
            }
        }
    }

    private static Image activeImage(ClusterState s, String name) {
        Image i = s.imageByIdOrName(name).orElseThrow(() -> ApiException.invalid("no image '" + name
                + "': list them with 'keel image list'"));
        if (i.status() != ImageStatus.ACTIVE || i.snapshotId() == null) {
            throw ApiException.conflict("image " + i.name() + " is " + i.status().name().toLowerCase(Locale.ROOT)
                    + (i.statusReason() == null || i.statusReason().isBlank() ? "" : " (" + i.statusReason() + ")")
                    + ", not ready: VMs are made from active images");
        }
        return i;
    }

    private NodeRecord liveComputeNode(ClusterState s, String node) {
        NodeRecord n = ClusterServiceImpl.resolve(s, node);
        if (!nodeAlive.test(n.id())) {
            throw ApiException.invalid("node " + n.name() + " is not healthy: VMs are placed on live nodes only");
        }
        return n;
    }

    VmView await(String id, int seconds, Predicate<Vm> done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        while (true) {
            ClusterState s = meta.state();
            Vm v = s.vm(id).orElseThrow(() -> ApiException.notFound("VM " + id + " was deleted meanwhile"));
            if (done.test(v) || System.nanoTime() >= deadline) {
                return view(s, v);
            }
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return view(s, v);
            }
        }
    }

    private static boolean failedSince(Vm v, Instant at) {
        return v.status() == VmStatus.ERROR && !v.statusAt().isBefore(at);
    }

    private static boolean mayRun(Vm v) {
        return v.status() == VmStatus.ACTIVE || v.status() == VmStatus.PAUSED || v.status() == VmStatus.MIGRATING;
    }

    private static int wait(VmActionRequest r) {
        return wait(r == null ? null : r.waitSeconds());
    }

    static int wait(Integer seconds) {
        if (seconds == null) {
            return DEFAULT_WAIT_SECONDS;
        }
        if (seconds < 0 || seconds > 3600) {
            throw ApiException.invalid("waitSeconds must be 0-3600, got " + seconds);
        }
        return seconds;
    }

    private static VmPlacement placement(String p) {
        if (p == null || p.isBlank()) {
            return VmPlacement.AUTO;
        }
        try {
            return VmPlacement.valueOf(p.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("placement must be auto, failover or pinned, not '" + p + "'");
        }
    }

    String newId(String prefix) {
        return prefix + HexFormat.of().toHexDigits(random.nextLong()).substring(1);
    }

    static Vm vm(ClusterState s, String idOrName) {
        return s.vmByIdOrName(Objects.requireNonNull(idOrName, "vm"))
                .orElseThrow(() -> ApiException.notFound("no VM " + idOrName));
    }

    private static String lower(VmStatus s) {
        return s.name().toLowerCase(Locale.ROOT);
    }

    static VmView view(ClusterState s, Vm v) {
        List<VmDiskView> disks = new ArrayList<>();
        for (VmDiskRef d : v.disks()) {
            Volume vol = s.volume(d.volumeId()).orElse(null);
            disks.add(new VmDiskView(d.volumeId(), vol == null ? "(deleted)" : vol.name(),
                    vol == null ? 0 : vol.sizeBytes(), d.slot() == 0, d.ownedByVm(), d.slot(),
                    d.detaching() ? "detaching" : "attached"));
        }
        String nodeName = s.node(v.nodeId()).map(NodeRecord::name).orElse(v.nodeId());
        return new VmView(v.id(), v.name(), v.status().name(), v.statusReason(),
                v.power().name().toLowerCase(Locale.ROOT), v.nodeId(), nodeName, v.flavor(), v.vcpus(), v.ramMiB(),
                v.placement().name().toLowerCase(Locale.ROOT), v.imageId(), disks, v.createdAt(), v.statusAt(),
                v.migration() == null ? null : migrationView(s, v.migration()),
                s.vmSavedState(v.id()).map(x -> VmSuspends.view(s, x)).orElse(null),
                v.nics().stream().map(n -> new VmNicView(n.slot(), n.network(), n.mac(),
                        n.detaching() ? "detaching" : "attached")).toList(),
                v.cdromImageId() == null ? null : s.image(v.cdromImageId()).map(Image::name).orElse(v.cdromImageId()),
                haView(s, v));
    }

    private static VmHaView haView(ClusterState s, Vm v) {
        return s.haStatus().map(r -> r.status().resources().get(io.keel.node.ha.HaResources.resourceId(v.id())))
                .map(st -> {
                    String node = st.node() == null ? null : nodeName(s, st.node());
                    String waiting = st.waiting() != null ? st.waiting()
                            : st.hold() ? "pinned: held stopped on " + node + " until started by hand" : null;
                    return new VmHaView(st.state().label(), st.node(), node, waiting);
                })
                .orElse(null);
    }

    private static VmMigrationView migrationView(ClusterState s, VmMigration m) {
        int progress = m.phase() == MigrationPhase.COMPLETED || m.phase() == MigrationPhase.SWITCHING ? 100
                : m.ramTotalBytes() <= 0 ? 0
                : (int) Math.min(99, (m.ramTotalBytes() - m.ramRemainingBytes()) * 100 / m.ramTotalBytes());
        return new VmMigrationView(m.id(), m.sourceNodeId(), nodeName(s, m.sourceNodeId()), m.targetNodeId(),
                nodeName(s, m.targetNodeId()), m.phase().name().toLowerCase(Locale.ROOT), Math.max(0, progress),
                m.ramTotalBytes(), m.ramTransferredBytes(), m.ramRemainingBytes(), m.cancelRequested(),
                m.startedAt(), m.finishedAt(), m.totalMs(), m.downtimeMs(), m.pauseMs(), m.reason());
    }

    private static String nodeName(ClusterState s, String id) {
        return s.node(id).map(NodeRecord::name).orElse(id);
    }
}
