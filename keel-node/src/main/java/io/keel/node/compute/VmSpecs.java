package io.keel.node.compute;

import io.keel.compute.qemu.Accelerator;
import io.keel.compute.qemu.VmDisk;
import io.keel.compute.qemu.VmLaunchSpec;
import io.keel.meta.cluster.ClusterState;
import io.keel.meta.cluster.Vm;
import io.keel.compute.qemu.VmNicSpec;
import io.keel.meta.cluster.Image;
import io.keel.meta.cluster.Network;
import io.keel.meta.cluster.NetworkType;
import io.keel.meta.cluster.VmDiskRef;
import io.keel.meta.cluster.VmNic;
import io.keel.meta.cluster.Volume;
import io.keel.node.storage.VolumeExports;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Turns a VM record into what QEMU is started with on this node. Disks are the node's own NBD
 * exports on the loopback address (ADR 0014): QEMU's write open takes the volume's write lease for
 * this node, and the guest's I/O never leaves the host before the replication layer.
 */
public final class VmSpecs {
    private static final int LOG_TAIL_CHARS = 600;

    private final Supplier<ClusterState> state;
    private final Accelerator accelerator;
    private final String nbdHost;
    private final int nbdPort;
    private final HostTaps taps;

    public VmSpecs(Supplier<ClusterState> state, Accelerator accelerator, String nbdHost, int nbdPort, HostTaps taps) {
        this.taps = Objects.requireNonNull(taps, "taps");
        this.state = Objects.requireNonNull(state, "state");
        this.accelerator = Objects.requireNonNull(accelerator, "accelerator");
        this.nbdHost = Objects.requireNonNull(nbdHost, "nbdHost");
        this.nbdPort = nbdPort;
    }

    VmLaunchSpec spec(Vm vm, VmRuntime runtime, boolean paused) throws IOException {
        return spec(vm, runtime, paused, false);
    }

    /**
     * The same machine waiting for a live migration's state: its disks are standby opens, which take
     * the write lease only at the switch-over, while the source still writes (ADR 0019).
     */
    VmLaunchSpec incomingSpec(Vm vm, VmRuntime runtime) throws IOException {
        return spec(vm, runtime, true, true).incomingDeferred();
    }

    private VmLaunchSpec spec(Vm vm, VmRuntime runtime, boolean paused, boolean standby) throws IOException {
        List<VmDisk> disks = new ArrayList<>(disks(vm, standby).values());
        runtime.dir().toFile().mkdirs();
        // The same UUID on every start and every node: guests key licences and cloud-init on it.
        UUID uuid = UUID.nameUUIDFromBytes(("keel-vm:" + vm.id()).getBytes(StandardCharsets.UTF_8));
        List<VmNicSpec> nics = new ArrayList<>();
        for (VmNicSpec n : nics(vm).values()) {
            prepare(vm, n);
            nics.add(n);
        }
        Optional<VmDisk> cd = cdrom(vm);
        if (cd.isPresent()) {
            // The CD boots first (an installer), the boot disk after it.
            disks.replaceAll(d -> d.bootIndex().isPresent() ? new VmDisk(d.name(), d.nbd(),
                    java.util.OptionalInt.of(d.bootIndex().getAsInt() + 1), d.readOnly(), d.hotplugPort()) : d);
        }
        return new VmLaunchSpec(vm.name(), uuid, vm.vcpus(), vm.ramMiB(), accelerator, disks, runtime.qmpSocket(),
                runtime.serialSocket(), Optional.of(runtime.vncSocket()), paused, Optional.of(runtime.serialLog()))
                .withNics(nics)
                .withCdrom(cd);
    }

    /**
     * The disks QEMU should have now, by guest device name: every disk of the record but those
     * being detached. A disk's device name and hot-plug port follow its slot, so they are the same
     * on every start, after a hot-plug, and on a migration target.
     */
    java.util.SortedMap<String, VmDisk> disks(Vm vm, boolean standby) {
        if (nbdPort == 0) {
            throw new IllegalArgumentException("this node serves no NBD (storage.nbdPort is 0), so VM disks cannot"
                    + " be attached");
        }
        ClusterState s = state.get();
        java.util.SortedMap<String, VmDisk> out = new java.util.TreeMap<>(
                java.util.Comparator.comparingInt(VmSpecs::slotOf).thenComparing(java.util.Comparator.naturalOrder()));
        for (VmDiskRef ref : vm.disks()) {
            if (ref.detaching()) {
                continue;
            }
            Volume v = s.volume(ref.volumeId()).orElseThrow(() -> new IllegalArgumentException(
                    "its disk volume " + ref.volumeId() + " no longer exists"));
            String url = "nbd://" + nbdHost + ":" + nbdPort + "/"
                    + URLEncoder.encode(standby ? VolumeExports.standbyExport(v.name()) : v.name(),
                            StandardCharsets.UTF_8).replace("+", "%20");
            int slot = ref.slot();
            VmDisk d = slot == 0 ? VmDisk.boot(deviceName(slot), url, 0) : VmDisk.data(deviceName(slot), url);
            out.put(d.name(), d.onPort(slot));
        }
        return out;
    }

    /**
     * The NICs QEMU should have now, by guest device id: every NIC of the record but those being
     * detached. A NIC on a network that no longer exists is refused with the reason.
     */
    java.util.SortedMap<String, VmNicSpec> nics(Vm vm) {
        ClusterState s = state.get();
        java.util.SortedMap<String, VmNicSpec> out = new java.util.TreeMap<>();
        for (VmNic n : vm.nics()) {
            if (n.detaching()) {
                continue;
            }
            Network net = s.network(n.network()).orElseThrow(() -> new IllegalArgumentException(
                    "its NIC " + n.mac() + " is on network " + n.network() + ", which no longer exists"));
            VmNicSpec.Backend backend = net.type() == NetworkType.BRIDGE
                    ? new VmNicSpec.Tap(taps.tapName(vm.id(), n.slot())) : new VmNicSpec.User();
            VmNicSpec spec = new VmNicSpec(n.slot(), n.mac(), backend);
            out.put(spec.deviceId(), spec);
        }
        return out;
    }

    /** Makes the host side of {@code nic} ready for QEMU: a bridge NIC's tap on its bridge. */
    void prepare(Vm vm, VmNicSpec nic) {
        if (nic.backend() instanceof VmNicSpec.Tap tap) {
            VmNic n = vm.nics().stream().filter(x -> x.slot() == nic.slot()).findFirst().orElseThrow();
            Network net = state.get().network(n.network()).orElseThrow(() -> new IllegalArgumentException(
                    "network " + n.network() + " no longer exists"));
            taps.ensure(tap.ifname(), net.bridge());
        }
    }

    /** Removes the host side of the NIC in {@code slot} (after its device left the guest). */
    void release(String vmId, int slot) {
        taps.remove(taps.tapName(vmId, slot));
    }

    /** Removes the host side of every NIC of the VM: its QEMU is gone from this node. */
    void releaseAll(String vmId) {
        taps.removeAll(vmId);
    }

    /**
     * The disc in the VM's CD-ROM drive: its image's golden snapshot, exported read-only by this
     * node; its block nodes are named after the image, so a running drive shows which disc it holds.
     */
    Optional<VmDisk> cdrom(Vm vm) {
        if (vm.cdromImageId() == null) {
            return Optional.empty();
        }
        ClusterState s = state.get();
        Image image = s.image(vm.cdromImageId()).orElseThrow(() -> new IllegalArgumentException(
                "the image in its CD-ROM drive (" + vm.cdromImageId() + ") no longer exists"));
        String export = Image.volumeName(image.name()) + "@" + Image.GOLDEN_SNAPSHOT;
        String url = "nbd://" + nbdHost + ":" + nbdPort + "/"
                + URLEncoder.encode(export, StandardCharsets.UTF_8).replace("+", "%20");
        return Optional.of(VmDisk.readOnly("cd-" + image.id(), url, java.util.OptionalInt.of(0)));
    }

    /** The size of every disk's volume as the metadata has it, by guest device name. */
    java.util.Map<String, Long> diskSizes(Vm vm) {
        ClusterState s = state.get();
        java.util.Map<String, Long> out = new java.util.HashMap<>();
        for (VmDiskRef ref : vm.disks()) {
            s.volume(ref.volumeId()).ifPresent(v -> out.put(deviceName(ref.slot()), v.sizeBytes()));
        }
        return out;
    }

    /** The volume behind guest device {@code device}, if the record has one there. */
    static java.util.Optional<VmDiskRef> diskAt(Vm vm, String device) {
        return vm.disks().stream().filter(d -> deviceName(d.slot()).equals(device)).findFirst();
    }

    /** The guest device of the disk in {@code slot}. */
    static String deviceName(int slot) {
        return "disk" + slot;
    }

    /** The slot of a device named by {@link #deviceName}, or -1. */
    static int slotOf(String device) {
        if (!device.startsWith("disk")) {
            return -1;
        }
        try {
            return Integer.parseInt(device.substring(4));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The last lines QEMU wrote, for an error reason: ": " and the text, or nothing. */
    static String logTail(Path log) {
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long start = Math.max(0, f.length() - LOG_TAIL_CHARS);
            byte[] b = new byte[(int) (f.length() - start)];
            f.seek(start);
            f.readFully(b);
            // QEMU's own words only: the launcher's "keel: ... starting VM" lines carry the whole
            // command line, which says nothing about why QEMU died, and a line cut by the tail is noise.
            java.util.List<String> lines = new java.util.ArrayList<>(
                    java.util.Arrays.asList(new String(b, StandardCharsets.UTF_8).split("\n")));
            if (start > 0 && !lines.isEmpty()) {
                lines.removeFirst();
            }
            String text = lines.stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("keel: "))
                    .collect(java.util.stream.Collectors.joining(" "));
            return text.isEmpty() ? "" : ": " + text;
        } catch (IOException e) {
            return "";
        }
    }
}
