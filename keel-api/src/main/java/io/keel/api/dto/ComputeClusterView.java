package io.keel.api.dto;

import java.time.Instant;
import java.util.List;

/** The compute cluster: its nodes by name, and the sums of their capacity and allocation. */
public record ComputeClusterView(
        Instant createdAt,
        List<ComputeNodeView> nodes,
        int vcpus,
        long ramBytes,
        int vcpusAllocated,
        long ramAllocatedBytes) {}
