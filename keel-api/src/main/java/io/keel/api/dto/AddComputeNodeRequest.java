package io.keel.api.dto;

/** {@code node}: id or name of a healthy storage cluster node. */
public record AddComputeNodeRequest(String node) {}
