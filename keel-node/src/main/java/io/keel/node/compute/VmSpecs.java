package io.keel.node.compute;

import io.keel.compute.qemu.Accelerator;
import io.keel.compute.qemu.VmDisk;
import io.keel.compute.qemu.VmLaunchSpec;
import io.keel.meta.cluster.ClusterState;
import io.keel.meta.cluster.Vm;
import io.keel.meta.cluster.VmDiskRef;
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

    public VmSpecs(Supplier<ClusterState> state, Accelerator accelerator, String nbdHost, int nbdPort) {
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
        if (nbdPort == 0) {
            throw new IllegalArgumentException("this node serves no NBD (storage.nbdPort is 0), so VM disks cannot"
                    + " be attached");
        }
        ClusterState s = state.get();
        List<VmDisk> disks = new ArrayList<>();
        for (int i = 0; i < vm.disks().size(); i++) {
            VmDiskRef ref = vm.disks().get(i);
            Volume v = s.volume(ref.volumeId()).orElseThrow(() -> new IllegalArgumentException(
                    "its disk volume " + ref.volumeId() + " no longer exists"));
            String url = "nbd://" + nbdHost + ":" + nbdPort + "/"
                    + URLEncoder.encode(standby ? VolumeExports.standbyExport(v.name()) : v.name(),
                            StandardCharsets.UTF_8).replace("+", "%20");
            disks.add(i == 0 ? VmDisk.boot("disk0", url, 0) : VmDisk.data("disk" + i, url));
        }
        runtime.dir().toFile().mkdirs();
        // The same UUID on every start and every node: guests key licences and cloud-init on it.
        UUID uuid = UUID.nameUUIDFromBytes(("keel-vm:" + vm.id()).getBytes(StandardCharsets.UTF_8));
        return new VmLaunchSpec(vm.name(), uuid, vm.vcpus(), vm.ramMiB(), accelerator, disks, runtime.qmpSocket(),
                runtime.serialSocket(), Optional.empty(), paused, Optional.of(runtime.serialLog()));
    }

    /** The last lines QEMU wrote, for an error reason: ": " and the text, or nothing. */
    static String logTail(Path log) {
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long start = Math.max(0, f.length() - LOG_TAIL_CHARS);
            byte[] b = new byte[(int) (f.length() - start)];
            f.seek(start);
            f.readFully(b);
            String text = new String(b, StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? "" : ": " + text.replace('\n', ' ');
        } catch (IOException e) {
            return "";
        }
    }
}
