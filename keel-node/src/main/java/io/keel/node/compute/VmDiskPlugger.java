package io.keel.node.compute;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keel.compute.qemu.QemuCommandLine;
import io.keel.compute.qemu.VmDisk;
import io.keel.compute.qmp.QmpClient;
import io.keel.compute.qmp.QmpCommandException;
import io.keel.compute.qmp.QmpException;
import io.keel.meta.cluster.Vm;
import io.keel.meta.cluster.VmDiskRef;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a running QEMU's disks match the VM record (ADR 0022): plugs in attached disks, unplugs
 * detaching ones once the guest lets go, and shows the guest a disk whose volume grew. Run as part
 * of the VM's supervisor step, so it never overlaps a power change or a migration step.
 */
final class VmDiskPlugger {
    private static final Logger log = LoggerFactory.getLogger(VmDiskPlugger.class);
    private static final Duration QMP_TIMEOUT = Duration.ofSeconds(10);
    /** A Linux guest answers a PCIe unplug request within a second; one that does not is asked again next round. */
    private static final Duration UNPLUG_WAIT = Duration.ofSeconds(10);
    private static final long POLL_MILLIS = 100;
    private static final String DEVICE_TYPE = "virtio-blk-pci";
    private static final java.util.regex.Pattern DEVICE_IDS = java.util.regex.Pattern.compile("disk[0-9]+");
    private static final Duration NODE_RELEASE_WAIT = Duration.ofSeconds(5);
    /** The second name of a disk's NBD node, used while its connection is replaced (see {@link #grow}). */
    private static final String ALTERNATE = "-b";

    private final VmSpecs specs;
    private final BiConsumer<Vm, String> detached;

    /** @param detached told (VM, volume id) when a detaching disk's device is gone from the guest */
    VmDiskPlugger(VmSpecs specs, BiConsumer<Vm, String> detached) {
        this.specs = Objects.requireNonNull(specs, "specs");
        this.detached = Objects.requireNonNull(detached, "detached");
    }

    void reconcile(Vm vm, QmpClient qmp) throws QmpException, InterruptedException {
        SortedMap<String, VmDisk> want;
        try {
            want = specs.disks(vm, false);
        } catch (IllegalArgumentException e) {
            log.warn("VM {}: disks not reconciled: {}", vm.name(), e.getMessage());
            return;
        }
        Set<String> devices = diskDevices(qmp);
        Map<String, Long> nodes = blockNodes(qmp);
        for (String device : devices) {
            if (!want.containsKey(device)) {
                unplug(vm, qmp, device);
            }
        }
        for (VmDiskRef ref : vm.disks()) {
            String device = VmSpecs.deviceName(ref.slot());
            if (ref.detaching() && !devices.contains(device) && dropNodes(qmp, device, nodes)) {
                detached.accept(vm, ref.volumeId());
            }
        }
        changeCdrom(vm, qmp);
        Map<String, Long> sizes = specs.diskSizes(vm);
        for (VmDisk d : want.values()) {
            if (!devices.contains(d.name())) {
                plug(vm, qmp, d, nodes);
            } else {
                Long size = sizes.get(d.name());
                Long seen = nodes.get(QemuCommandLine.rawNodeName(d));
                if (size != null && seen != null && size > seen) {
                    grow(vm, qmp, d, size, nodes);
                }
            }
        }
    }

    private void plug(Vm vm, QmpClient qmp, VmDisk d, Map<String, Long> nodes) throws QmpException, InterruptedException {
        // Nodes left by an unplug that stopped half-way would clash with the new ones' names.
        dropNodes(qmp, d.name(), nodes);
        for (ObjectNode node : QemuCommandLine.blockNodes(d)) {
            qmp.execute("blockdev-add", node, QMP_TIMEOUT);
        }
        try {
            qmp.execute("device_add", QemuCommandLine.device(d), QMP_TIMEOUT);
        } catch (QmpException e) {
            dropNodes(qmp, d.name(), blockNodes(qmp));
            throw e;
        }
        log.info("VM {}: disk {} ({}) plugged in", vm.name(), d.name(), d.export());
    }

    /**
     * Asks the guest to release the device, as pressing a slot's attention button does, and waits
     * for it. The volume is not let go here: the block nodes go once the device is gone, in the
     * round that sees it gone, which also covers an agent restarted in between.
     */
    private void unplug(Vm vm, QmpClient qmp, String device) throws QmpException, InterruptedException {
        if (!GuestDevices.unplug(qmp, device, DEVICE_TYPE, UNPLUG_WAIT)) {
            log.info("VM {}: the guest has not released disk {} yet", vm.name(), device);
            return;
        }
        log.info("VM {}: disk {} unplugged", vm.name(), device);
        // The device leaves the QOM tree a moment before it lets go of its block backend.
        long until = System.nanoTime() + NODE_RELEASE_WAIT.toNanos();
        while (!dropNodes(qmp, device, blockNodes(qmp))) {
            if (System.nanoTime() > until) {
                log.info("VM {}: the block nodes of disk {} are still in use; retrying at the next step", vm.name(),
                        device);
                return;
            }
            Thread.sleep(POLL_MILLIS);
        }
        VmSpecs.diskAt(vm, device).filter(VmDiskRef::detaching).ifPresent(d -> detached.accept(vm, d.volumeId()));
    }

    /**
     * QEMU's NBD client learns an export's size when it connects and never grows a node, so the
     * disk gets a second connection, which sees the new size; its raw node is reopened on it, the
     * old connection closed, and {@code block_resize} (to the size the node now has) tells the
     * guest device, which raises a capacity-change interrupt. Writes in flight are drained by the
     * reopen; both connections share this node's write lease.
     */
    private void grow(Vm vm, QmpClient qmp, VmDisk d, long size, Map<String, Long> nodes)
            throws QmpException, InterruptedException {
        String primary = QemuCommandLine.nbdNodeName(d);
        String alternate = primary + ALTERNATE;
        String old;
        if (nodes.containsKey(primary) && nodes.containsKey(alternate)) {
            // A grow stopped half-way: the node in use refuses deletion; the other one goes.
            old = deleteIfUnused(qmp, alternate) ? primary : alternate;
            if (old.equals(alternate)) {
                deleteIfUnused(qmp, primary);
            }
        } else {
            old = nodes.containsKey(alternate) ? alternate : primary;
        }
        String next = old.equals(primary) ? alternate : primary;
        qmp.execute("blockdev-add", QemuCommandLine.nbdNode(d, next), QMP_TIMEOUT);
        ObjectNode reopen = qmp.arguments();
        reopen.putArray("options").add(QemuCommandLine.rawNode(d, next));
        try {
            qmp.execute("blockdev-reopen", reopen, QMP_TIMEOUT);
        } catch (QmpException e) {
            deleteIfUnused(qmp, next);
            throw e;
        }
        deleteIfUnused(qmp, old);
        long seen = blockNodes(qmp).getOrDefault(next, 0L);
        ObjectNode resize = qmp.arguments();
        resize.put("node-name", QemuCommandLine.rawNodeName(d));
        resize.put("size", seen);
        qmp.execute("block_resize", resize, QMP_TIMEOUT);
        log.info("VM {}: disk {} grown to {} bytes (volume {} bytes)", vm.name(), d.name(), seen, size);
    }

    private static boolean deleteIfUnused(QmpClient qmp, String nodeName) throws QmpException, InterruptedException {
        ObjectNode args = qmp.arguments();
        args.put("node-name", nodeName);
        try {
            qmp.execute("blockdev-del", args, QMP_TIMEOUT);
            return true;
        } catch (QmpCommandException e) {
            log.info("block node {} not deleted: {}", nodeName, e.getMessage());
            return false;
        }
    }

    /**
     * Deletes the block nodes of {@code device} (format first, then its connections, which closes
     * them and lets the volume's lease go); true if none is left.
     */
    private static boolean dropNodes(QmpClient qmp, String device, Map<String, Long> nodes)
            throws QmpException, InterruptedException {
        boolean gone = true;
        for (String n : List.of(device + "-raw", device + "-nbd", device + "-nbd" + ALTERNATE)) {
            if (nodes.containsKey(n) && !deleteIfUnused(qmp, n)) {
                gone = false;
            }
        }
        return gone;
    }

    /**
     * Swaps the disc in the CD-ROM drive for the one the record names (or none), as a person at
     * the machine would: open the tray, take the disc out, put the other in, close the tray.
     */
    private void changeCdrom(Vm vm, QmpClient qmp) throws QmpException, InterruptedException {
        java.util.Optional<VmDisk> want;
        try {
            want = specs.cdrom(vm);
        } catch (IllegalArgumentException e) {
            log.warn("VM {}: CD-ROM not changed: {}", vm.name(), e.getMessage());
            return;
        }
        String inserted = null;
        boolean drive = false;
        for (JsonNode b : qmp.execute("query-block", qmp.arguments(), QMP_TIMEOUT)) {
            if (QemuCommandLine.CDROM.equals(b.path("qdev").asText())) {
                drive = true;
                inserted = b.path("inserted").path("node-name").asText(null);
            }
        }
        String wanted = want.map(QemuCommandLine::rawNodeName).orElse(null);
        if (!drive || Objects.equals(inserted, wanted)) {
            return;
        }
        ObjectNode id = qmp.arguments();
        id.put("id", QemuCommandLine.CDROM);
        ObjectNode open = id.deepCopy();
        open.put("force", true);
        qmp.execute("blockdev-open-tray", open, QMP_TIMEOUT);
        qmp.execute("blockdev-remove-medium", id.deepCopy(), QMP_TIMEOUT);
        if (inserted != null && inserted.endsWith("-raw")) {
            String stem = inserted.substring(0, inserted.length() - "-raw".length());
            deleteIfUnused(qmp, inserted);
            deleteIfUnused(qmp, stem + "-nbd");
        }
        if (want.isPresent()) {
            Map<String, Long> nodes = blockNodes(qmp);
            for (ObjectNode node : QemuCommandLine.blockNodes(want.get())) {
                if (!nodes.containsKey(node.path("node-name").asText())) {
                    qmp.execute("blockdev-add", node, QMP_TIMEOUT);
                }
            }
            ObjectNode insert = id.deepCopy();
            insert.put("node-name", wanted);
            qmp.execute("blockdev-insert-medium", insert, QMP_TIMEOUT);
        }
        qmp.execute("blockdev-close-tray", id.deepCopy(), QMP_TIMEOUT);
        log.info("VM {}: CD-ROM {}", vm.name(), want.map(d -> "now holds " + d.export()).orElse("ejected"));
    }

    /** The guest's disk devices: Keel names them disk0, disk1, ... under /machine/peripheral. */
    private static Set<String> diskDevices(QmpClient qmp) throws QmpException, InterruptedException {
        return GuestDevices.list(qmp, DEVICE_TYPE, DEVICE_IDS);
    }

    /** Every named block node and the size it shows. */
    private static Map<String, Long> blockNodes(QmpClient qmp) throws QmpException, InterruptedException {
        ObjectNode args = qmp.arguments();
        args.put("flat", true);
        Map<String, Long> out = new HashMap<>();
        for (JsonNode n : qmp.execute("query-named-block-nodes", args, QMP_TIMEOUT)) {
            out.put(n.path("node-name").asText(), n.path("image").path("virtual-size").asLong(-1));
        }
        return out;
    }
}
