package io.keel.node.ha;

import io.keel.ha.Capacity;
import io.keel.ha.DesiredState;
import io.keel.ha.ResourceKind;
import io.keel.ha.ResourceSpec;
import io.keel.ha.Strategy;
import io.keel.meta.cluster.ClusterState;
import io.keel.meta.cluster.ComputeCluster;
import io.keel.meta.cluster.IscsiTargetGroup;
import io.keel.meta.cluster.Vm;
import io.keel.meta.cluster.VmPower;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The cluster's HA resources: one {@code vm:<id>} per VM record (ADR 0029), the management
 * virtual IP {@code vip:admin} when one is set (ADR 0031), and one {@code iscsi:<volume>} per LUN
 * of a target group, its active path (ADR 0033). VMs and the virtual IP stay on compute nodes; a
 * LUN's path on the nodes of its group (ADR 0034).
 */
public final class HaResources {
    public static final String VM_PREFIX = "vm:";
    public static final String VIP_ID = "vip:admin";
    public static final String ISCSI_PREFIX = "iscsi:";

    private HaResources() {}

    public static String resourceId(String vmId) {
        return VM_PREFIX + vmId;
    }

    /** The resource of a LUN's active path. */
    public static String iscsiId(String volumeId) {
        return ISCSI_PREFIX + volumeId;
    }

    /** The volume id of an HA resource id, when it names a LUN's active path. */
    public static Optional<String> iscsiVolumeId(String resourceId) {
        return resourceId.startsWith(ISCSI_PREFIX) ? Optional.of(resourceId.substring(ISCSI_PREFIX.length()))
                : Optional.empty();
    }

    /** The VM id of an HA resource id, when it names a VM. */
    public static Optional<String> vmId(String resourceId) {
        return resourceId.startsWith(VM_PREFIX) ? Optional.of(resourceId.substring(VM_PREFIX.length()))
                : Optional.empty();
    }

    /**
     * The nodes the engine places on: compute nodes run VMs and the virtual IP, target group nodes
     * LUN paths; each resource's allowed nodes say which of them it may use.
     */
    public static java.util.SortedSet<String> pool(ClusterState state) {
        java.util.SortedSet<String> pool = new java.util.TreeSet<>(state.computeCluster().map(ComputeCluster::nodeIds)
                .orElse(List.of()));
        state.iscsi().groups().forEach(g -> pool.addAll(g.nodeIds()));
        return pool;
    }

    public static SortedMap<String, ResourceSpec> specs(ClusterState state) {
        SortedMap<String, ResourceSpec> out = new TreeMap<>();
        // The engine's pool also holds nodes that only serve iSCSI: VMs must not land there.
        Set<String> compute = Set.copyOf(state.computeCluster().map(ComputeCluster::nodeIds).orElse(List.of()));
        for (Vm vm : state.vms()) {
            ResourceSpec spec = spec(vm, state.haStartRequests(vm.id()), compute);
            out.put(spec.id(), spec);
        }
        // Always wanted, on any compute node: the engine picks one and moves it when that node is lost.
        state.vip().ifPresent(v -> out.put(VIP_ID, new ResourceSpec(VIP_ID, ResourceKind.VIP, Capacity.NONE,
                Strategy.AUTO, null, DesiredState.STARTED, state.vipStartRequests(), compute)));
        for (IscsiTargetGroup g : state.iscsi().groups()) {
            Set<String> nodes = Set.copyOf(g.nodeIds());
            for (IscsiTargetGroup.Lun l : g.luns()) {
                String id = iscsiId(l.volumeId());
                out.put(id, new ResourceSpec(id, ResourceKind.ISCSI, Capacity.NONE, Strategy.AUTO, null,
                        DesiredState.STARTED, 0, nodes));
            }
        }
        return out;
    }

    static ResourceSpec spec(Vm vm, long startRequests) {
        return spec(vm, startRequests, Set.of());
    }

    static ResourceSpec spec(Vm vm, long startRequests, Set<String> compute) {
        // A suspended VM is saved to its state volume and runs nowhere: stopped, as far as HA goes.
        DesiredState desired = vm.power() == VmPower.RUNNING || vm.power() == VmPower.PAUSED ? DesiredState.STARTED
                : DesiredState.STOPPED;
        Strategy strategy = switch (vm.placement()) {
            case AUTO -> Strategy.AUTO;
            case FAILOVER -> Strategy.FAILOVER;
            case PINNED -> Strategy.PINNED;
        };
        // A VM placed on a node that has since left the compute cluster keeps that node allowed, so
        // the spec stays valid; the engine moves it once the node is lost or in maintenance.
        Set<String> allowed = compute.isEmpty() || compute.contains(vm.nodeId()) ? compute
                : java.util.stream.Stream.concat(compute.stream(), java.util.stream.Stream.of(vm.nodeId()))
                        .collect(java.util.stream.Collectors.toUnmodifiableSet());
        return new ResourceSpec(resourceId(vm.id()), ResourceKind.VM, new Capacity(vm.ramMiB(), vm.vcpus()), strategy,
                vm.nodeId(), desired, startRequests, allowed);
    }
}
