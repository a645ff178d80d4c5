package io.keel.node.ha;

import io.keel.ha.Capacity;
import io.keel.ha.DesiredState;
import io.keel.ha.ResourceKind;
import io.keel.ha.ResourceSpec;
import io.keel.ha.Strategy;
import io.keel.meta.cluster.ClusterState;
import io.keel.meta.cluster.Vm;
import io.keel.meta.cluster.VmPower;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The cluster's HA resources: one {@code vm:<id>} per VM record (ADR 0029), and the management
 * virtual IP {@code vip:admin} when one is set (ADR 0031).
 */
public final class HaResources {
    public static final String VM_PREFIX = "vm:";
    public static final String VIP_ID = "vip:admin";

    private HaResources() {}

    public static String resourceId(String vmId) {
        return VM_PREFIX + vmId;
    }

    /** The VM id of an HA resource id, when it names a VM. */
    public static Optional<String> vmId(String resourceId) {
        return resourceId.startsWith(VM_PREFIX) ? Optional.of(resourceId.substring(VM_PREFIX.length()))
                : Optional.empty();
    }

    public static SortedMap<String, ResourceSpec> specs(ClusterState state) {
        SortedMap<String, ResourceSpec> out = new TreeMap<>();
        for (Vm vm : state.vms()) {
            ResourceSpec spec = spec(vm, state.haStartRequests(vm.id()));
            out.put(spec.id(), spec);
        }
        // Always wanted, on any node: the engine picks one and moves it when that node is lost.
        state.vip().ifPresent(v -> out.put(VIP_ID, new ResourceSpec(VIP_ID, ResourceKind.VIP, Capacity.NONE,
                Strategy.AUTO, null, DesiredState.STARTED, 0)));
        return out;
    }

    static ResourceSpec spec(Vm vm, long startRequests) {
        // A suspended VM is saved to its state volume and runs nowhere: stopped, as far as HA goes.
        DesiredState desired = vm.power() == VmPower.RUNNING || vm.power() == VmPower.PAUSED ? DesiredState.STARTED
                : DesiredState.STOPPED;
        Strategy strategy = switch (vm.placement()) {
            case AUTO -> Strategy.AUTO;
            case FAILOVER -> Strategy.FAILOVER;
            case PINNED -> Strategy.PINNED;
        };
        return new ResourceSpec(resourceId(vm.id()), ResourceKind.VM, new Capacity(vm.ramMiB(), vm.vcpus()), strategy,
                vm.nodeId(), desired, startRequests);
    }
}
