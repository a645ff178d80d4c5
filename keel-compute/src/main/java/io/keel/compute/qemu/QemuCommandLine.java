package io.keel.compute.qemu;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The QEMU arguments for a {@link VmLaunchSpec} (the binary itself not included). Every device is
 * named explicitly and nothing is left to QEMU's defaults, so the guest sees the same machine on
 * every start and on every node, which live migration needs.
 */
public final class QemuCommandLine {
    /**
     * PCIe root ports for disks, on every machine whether used or not: q35's root complex takes no
     * hot-plug, so a disk added while the guest runs needs an empty port, and a migration target
     * must have the same ports as its source.
     */
    public static final int DISK_PORTS = 16;
    /** PCIe root ports for NICs, for the same reasons. */
    public static final int NIC_PORTS = 8;
    /** How long a disk's requests wait for its NBD export to come back before they fail. */
    public static final int RECONNECT_DELAY_SECONDS = 120;

    private QemuCommandLine() {
    }

    public static List<String> build(VmLaunchSpec spec) {
        Objects.requireNonNull(spec, "spec");
        List<String> a = new ArrayList<>();
        // No default NIC, VGA, floppy, CD-ROM or monitor, and no /etc/qemu config: only what is listed here.
        a.add("-nodefaults");
        a.add("-no-user-config");
        a.addAll(List.of("-name", "guest=" + spec.name() + ",debug-threads=on"));
        a.addAll(List.of("-uuid", spec.uuid().toString()));
        a.addAll(List.of("-machine", "q35"));
        a.addAll(List.of("-accel", spec.accelerator().qemuName()));
        // KVM passes the host CPU through. TCG's "max" emulates every feature TCG can, so guests that
        // need x86-64-v2 (RHEL 9 and later) boot; it is the same on every node running this QEMU.
        a.addAll(List.of("-cpu", spec.accelerator() == Accelerator.KVM ? "host" : "max"));
        a.addAll(List.of("-m", Integer.toString(spec.memoryMiB())));
        a.addAll(List.of("-smp", Integer.toString(spec.vcpus())));
        // Timestamps in QEMU's own messages, which go to the VM's log file.
        a.addAll(List.of("-msg", "timestamp=on"));
        a.addAll(List.of("-display", "none"));
        a.addAll(List.of("-chardev", "socket,id=qmp,path=" + spec.qmpSocket() + ",server=on,wait=off"));
        a.addAll(List.of("-mon", "chardev=qmp,mode=control"));
        a.addAll(List.of("-chardev", "socket,id=serial0,path=" + spec.serialSocket() + ",server=on,wait=off"
                + spec.serialLog().map(log -> ",logfile=" + log + ",logappend=on").orElse("")));
        a.addAll(List.of("-serial", "chardev:serial0"));
        spec.vncSocket().ifPresent(vnc -> {
            a.addAll(List.of("-device", "VGA,id=video0"));
            a.addAll(List.of("-vnc", "unix:" + vnc));
        });
        for (int p = 0; p < DISK_PORTS; p++) {
            // No I/O port window per port: 16 windows of 4 KiB would exhaust the 64 KiB I/O space,
            // and virtio devices behind a PCIe port are modern-only and use memory BARs.
            a.addAll(List.of("-device", "pcie-root-port,id=" + diskPort(p) + ",bus=pcie.0,chassis=" + (p + 1)
                    + ",io-reserve=0"));
        }
        for (int p = 0; p < NIC_PORTS; p++) {
            a.addAll(List.of("-device", "pcie-root-port,id=" + nicPort(p) + ",bus=pcie.0,chassis="
                    + (DISK_PORTS + p + 1) + ",io-reserve=0"));
        }
        for (VmNicSpec n : spec.nics()) {
            a.addAll(List.of("-netdev", netdevOption(n)));
            a.addAll(List.of("-device", nicDevice(n).toString()));
        }
        spec.cdrom().ifPresent(c -> blockNodes(c).forEach(n -> a.addAll(List.of("-blockdev", n.toString()))));
        a.addAll(List.of("-device", cdromDevice(spec.cdrom()).toString()));
        for (VmDisk d : spec.disks()) {
            a.addAll(List.of("-blockdev", nbdNode(d).toString()));
            a.addAll(List.of("-blockdev", rawNode(d).toString()));
            a.addAll(List.of("-device", device(d).toString()));
        }
        if (spec.startPaused()) {
            a.add("-S");
        }
        spec.incoming().ifPresent(i -> a.addAll(List.of("-incoming", i)));
        return List.copyOf(a);
    }

    /** The block node holding the format layer, which the guest device uses. */
    public static String rawNodeName(VmDisk d) {
        return d.name() + "-raw";
    }

    /** The block node holding the NBD connection. */
    public static String nbdNodeName(VmDisk d) {
        return d.name() + "-nbd";
    }

    /** The CD-ROM drive's id. */
    public static final String CDROM = "cd0";

    /**
     * The CD-ROM drive on q35's built-in AHCI controller, empty or holding {@code medium}; it boots
     * first when it holds one (as an installer needs), and a drive with no disc is skipped.
     */
    static ObjectNode cdromDevice(java.util.Optional<VmDisk> medium) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("driver", "ide-cd");
        o.put("id", CDROM);
        o.put("bus", "ide.2");
        medium.ifPresent(m -> {
            o.put("drive", rawNodeName(m));
            m.bootIndex().ifPresent(i -> o.put("bootindex", i));
        });
        return o;
    }

    /** The id of NIC root port {@code p}. */
    public static String nicPort(int p) {
        return "nic-port" + p;
    }

    /** The guest NIC, in the JSON form {@code -device} and QMP {@code device_add} take. */
    public static ObjectNode nicDevice(VmNicSpec n) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("driver", "virtio-net-pci");
        o.put("id", n.deviceId());
        o.put("netdev", n.netdevId());
        o.put("mac", n.mac());
        o.put("bus", nicPort(n.slot()));
        return o;
    }

    /** The NIC's host side as QMP {@code netdev_add} takes it. */
    public static ObjectNode netdev(VmNicSpec n) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("id", n.netdevId());
        switch (n.backend()) {
            case VmNicSpec.Tap t -> {
                o.put("type", "tap");
                o.put("ifname", t.ifname());
                // The node made the tap and put it on its bridge: QEMU runs no scripts.
                o.put("script", "no");
                o.put("downscript", "no");
            }
            case VmNicSpec.User u -> o.put("type", "user");
        }
        return o;
    }

    // -netdev as key=value: its JSON form is newer than the QEMU of Debian 12.
    private static String netdevOption(VmNicSpec n) {
        return switch (n.backend()) {
            case VmNicSpec.Tap t -> "tap,id=" + n.netdevId() + ",ifname=" + t.ifname() + ",script=no,downscript=no";
            case VmNicSpec.User u -> "user,id=" + n.netdevId();
        };
    }

    /** The id of hot-plug root port {@code p}. */
    public static String diskPort(int p) {
        return "disk-port" + p;
    }

    /**
     * The guest device of {@code d}, in JSON form: {@code -device} takes it as it is, and so does
     * QMP {@code device_add} when the disk is plugged into a running machine.
     */
    public static ObjectNode device(VmDisk d) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("driver", "virtio-blk-pci");
        n.put("id", d.name());
        n.put("drive", rawNodeName(d));
        d.hotplugPort().ifPresent(p -> n.put("bus", diskPort(p)));
        d.bootIndex().ifPresent(i -> n.put("bootindex", i));
        return n;
    }

    /**
     * The block nodes of {@code d}, lowest first, in the form {@code -blockdev} and QMP
     * {@code blockdev-add} both take.
     */
    public static List<ObjectNode> blockNodes(VmDisk d) {
        return List.of(nbdNode(d), rawNode(d));
    }

    /**
     * A second NBD node for {@code d}, named {@code nodeName}: a new connection learns the export's
     * size again, which an open one never does (QEMU's NBD client cannot grow a node).
     */
    public static ObjectNode nbdNode(VmDisk d, String nodeName) {
        ObjectNode n = nbdNode(d);
        n.put("node-name", nodeName);
        return n;
    }

    /** The raw node of {@code d} over the protocol node {@code file}, as {@code blockdev-reopen} wants it. */
    public static ObjectNode rawNode(VmDisk d, String file) {
        ObjectNode n = rawNode(d);
        n.put("file", file);
        return n;
    }

    // -blockdev in JSON form: export names and hosts need no escaping, whatever they contain.
    private static ObjectNode nbdNode(VmDisk d) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("driver", "nbd");
        n.put("node-name", nbdNodeName(d));
        ObjectNode server = n.putObject("server");
        server.put("type", "inet");
        server.put("host", d.host());
        server.put("port", Integer.toString(d.port()));
        n.put("export", d.export());
        // The export is the node agent's: when it restarts (an upgrade, a crash) the connection
        // drops while the VM runs on. QEMU reconnects by itself; this makes the guest's requests
        // wait for it instead of failing at once, so a restart is a pause, not an I/O error.
        n.put("reconnect-delay", RECONNECT_DELAY_SECONDS);
        common(n, d);
        return n;
    }

    // A raw format node over the protocol node, as QEMU's own -drive builds: snapshots, mirrors and
    // throttling attach to a format node later.
    private static ObjectNode rawNode(VmDisk d) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("driver", "raw");
        n.put("node-name", rawNodeName(d));
        n.put("file", nbdNodeName(d));
        common(n, d);
        return n;
    }

    private static void common(ObjectNode n, VmDisk d) {
        // Guest TRIM reaches the volume, so thin volumes give space back.
        n.put("discard", "unmap");
        if (d.readOnly()) {
            n.put("read-only", true);
        }
    }
}
