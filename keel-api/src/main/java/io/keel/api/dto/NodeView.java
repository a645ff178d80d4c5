package io.keel.api.dto;

import io.keel.meta.cluster.Inventory;
import java.time.Instant;
import java.util.List;

/**
 * {@code status} is HEALTHY, UNHEALTHY, MAINTENANCE or UNASSIGNED. {@code roles} are the distinct
 * disk roles of the node (storage, metadata, cache, metadata+cache, system). {@code release} says
 * that the node's data is being moved away, e.g. "draining since 2026-12-02T12:00:00Z"; null when
 * the node is not being released.
 */
public record NodeView(
        String id,
        String name,
        String address,
        int apiPort,
        String status,
        boolean inCluster,
        boolean maintenance,
        List<String> roles,
        LocationRef location,
        Long heartbeatAgeMs,
        Instant joinedAt,
        Inventory inventory,
        String release) {}
