package io.keel.node.compute;

import io.keel.compute.qemu.QemuProcess;
import io.keel.meta.cluster.Vm;

/**
 * A supervisor step that may end or replace the VM's QEMU (suspend and resume, ADR 0021). It
 * handles and reports its own failures and returns the QEMU the supervisor keeps: the same one, a
 * new one, or null once there is none.
 */
@FunctionalInterface
interface ProcessStep {
    QemuProcess run(Vm vm, QemuProcess current, VmRuntime runtime) throws InterruptedException;
}
