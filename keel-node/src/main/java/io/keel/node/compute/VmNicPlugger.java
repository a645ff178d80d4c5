package io.keel.node.compute;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keel.compute.qemu.QemuCommandLine;
import io.keel.compute.qemu.VmNicSpec;
import io.keel.compute.qmp.QmpClient;
import io.keel.compute.qmp.QmpCommandException;
import io.keel.compute.qmp.QmpException;
import io.keel.meta.cluster.Vm;
import io.keel.meta.cluster.VmNic;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a running QEMU's NICs match the VM record (ADR 0023), as {@link VmDiskPlugger} does for
 * disks: plugs in attached NICs (host side first), unplugs detaching ones once the guest lets go.
 */
final class VmNicPlugger {
    private static final Logger log = LoggerFactory.getLogger(VmNicPlugger.class);
    private static final Duration QMP_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration UNPLUG_WAIT = Duration.ofSeconds(10);
    private static final String DEVICE_TYPE = "virtio-net-pci";
    private static final java.util.regex.Pattern DEVICE_IDS = java.util.regex.Pattern.compile("nic[0-9]+");

    private final VmSpecs specs;
    private final BiConsumer<Vm, String> detached;

    /** @param detached told (VM, MAC) when a detaching NIC's device is gone from the guest */
    VmNicPlugger(VmSpecs specs, BiConsumer<Vm, String> detached) {
        this.specs = Objects.requireNonNull(specs, "specs");
        this.detached = Objects.requireNonNull(detached, "detached");
    }

    void reconcile(Vm vm, QmpClient qmp) throws QmpException, InterruptedException {
        SortedMap<String, VmNicSpec> want;
        try {
            want = specs.nics(vm);
        } catch (IllegalArgumentException e) {
            log.warn("VM {}: NICs not reconciled: {}", vm.name(), e.getMessage());
            return;
        }
        Set<String> devices = nicDevices(qmp);
        for (String device : devices) {
            if (!want.containsKey(device)) {
                unplug(vm, qmp, device);
            }
        }
        for (VmNic n : vm.nics()) {
            String device = "nic" + n.slot();
            if (n.detaching() && !devices.contains(device)) {
                release(vm, qmp, n);
            }
        }
        for (VmNicSpec n : want.values()) {
            if (!devices.contains(n.deviceId())) {
                plug(vm, qmp, n);
            }
        }
    }

    private void plug(Vm vm, QmpClient qmp, VmNicSpec n) throws QmpException, InterruptedException {
        try {
            specs.prepare(vm, n);
        } catch (IllegalArgumentException e) {
            log.warn("VM {}: NIC {} not plugged in: {}", vm.name(), n.mac(), e.getMessage());
            return;
        }
        deleteNetdev(qmp, n.netdevId());
        qmp.execute("netdev_add", QemuCommandLine.netdev(n), QMP_TIMEOUT);
        try {
            qmp.execute("device_add", QemuCommandLine.nicDevice(n), QMP_TIMEOUT);
        } catch (QmpException e) {
            deleteNetdev(qmp, n.netdevId());
            throw e;
        }
        log.info("VM {}: NIC {} ({}) plugged in", vm.name(), n.deviceId(), n.mac());
    }

    private void unplug(Vm vm, QmpClient qmp, String device) throws QmpException, InterruptedException {
        if (!GuestDevices.unplug(qmp, device, DEVICE_TYPE, UNPLUG_WAIT)) {
            log.info("VM {}: the guest has not released NIC {} yet", vm.name(), device);
            return;
        }
        log.info("VM {}: NIC {} unplugged", vm.name(), device);
        int slot = Integer.parseInt(device.substring(3));
        vm.nics().stream().filter(n -> n.slot() == slot && n.detaching()).findFirst().ifPresentOrElse(
                n -> release(vm, qmp, n), () -> {
                    deleteNetdevQuietly(qmp, "net" + slot);
                    specs.release(vm.id(), slot);
                });
    }

    /** The device is gone: its host side goes, then the record learns the NIC is detached. */
    private void release(Vm vm, QmpClient qmp, VmNic n) {
        deleteNetdevQuietly(qmp, "net" + n.slot());
        specs.release(vm.id(), n.slot());
        detached.accept(vm, n.mac());
    }

    private static void deleteNetdevQuietly(QmpClient qmp, String id) {
        try {
            deleteNetdev(qmp, id);
        } catch (QmpException e) {
            log.debug("netdev_del {}: {}", id, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Deletes netdev {@code id} if it exists (left by an unplug that stopped half-way). */
    private static void deleteNetdev(QmpClient qmp, String id) throws QmpException, InterruptedException {
        ObjectNode args = qmp.arguments();
        args.put("id", id);
        try {
            qmp.execute("netdev_del", args, QMP_TIMEOUT);
        } catch (QmpCommandException e) {
            // Not there: nothing to delete.
        }
    }

    /** The guest's NICs: Keel names them nic0, nic1, ... under /machine/peripheral. */
    private static Set<String> nicDevices(QmpClient qmp) throws QmpException, InterruptedException {
        return GuestDevices.list(qmp, DEVICE_TYPE, DEVICE_IDS);
    }
}
