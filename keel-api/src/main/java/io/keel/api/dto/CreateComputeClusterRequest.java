package io.keel.api.dto;

import java.util.List;

/** {@code nodes}: ids or names of healthy storage cluster nodes, at least one. */
public record CreateComputeClusterRequest(List<String> nodes) {}
