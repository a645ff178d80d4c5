package io.keel.node.compute;

import io.keel.meta.cluster.Vm;
import io.keel.meta.cluster.VmPower;
import io.keel.meta.cluster.VmStatus;

/** Where a supervisor tells the cluster what it saw; a report that fails is made again next round. */
@FunctionalInterface
interface VmReporter {
    /** @param adoptPower the power state the VM now wants (it stopped by itself), or null */
    void report(Vm vm, VmStatus status, String reason, VmPower adoptPower);
}
