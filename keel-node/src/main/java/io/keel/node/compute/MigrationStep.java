package io.keel.node.compute;

import io.keel.compute.qemu.QemuProcess;
import io.keel.meta.cluster.Vm;

/**
 * One node's part of a live migration (ADR 0019), run by the VM's supervisor so that it uses the
 * supervisor's one QMP connection. It handles its own failures (reporting them to the cluster) and
 * returns the QEMU the supervisor keeps from then on: the same one, a new one, or null once there
 * is none here.
 */
sealed interface MigrationStep permits MigrationSource, MigrationTarget {
    QemuProcess run(Vm vm, QemuProcess current, VmRuntime runtime) throws InterruptedException;
}
