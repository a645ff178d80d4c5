package io.keel.api.dto;

import java.time.Instant;

/** {@code name} is the storage cluster's name, null until it is created. */
public record ClusterView(
        String id,
        String name,
        Instant createdAt,
        Instant storageClusterCreatedAt,
        boolean encryption,
        String managementNodeId,
        int nodes,
        MetadataView metadata) {}
