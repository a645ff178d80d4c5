package io.keel.api.dto;

/**
 * A compute node: its capacity (logical CPUs as vCPUs, RAM), what the VMs placed on it hold
 * (running or not), and the accelerator its VMs run with. {@code status} is the node's status as
 * in {@link NodeView}. {@code accelerator} is "kvm" or "tcg", {@code acceleratorMode} the node's
 * setting ("auto", "kvm" or "tcg") and {@code acceleratorReason} why; all three are null while a
 * node has not reported them yet (it does at start).
 */
public record ComputeNodeView(
        String id,
        String name,
        String status,
        int vcpus,
        long ramBytes,
        int vcpusAllocated,
        long ramAllocatedBytes,
        String accelerator,
        String acceleratorMode,
        String acceleratorReason) {}
