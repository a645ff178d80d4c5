package io.keel.api.dto;

import java.util.List;

/** {@code nodes} null or empty means every healthy Unassigned node. */
public record CreateClusterRequest(String name, List<String> nodes, Boolean encryption) {}
