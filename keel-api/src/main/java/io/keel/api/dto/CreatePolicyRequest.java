package io.keel.api.dto;

/**
 * {@code failureDomain} is disk, host, rack, row or room (default host); {@code tier} defaults
 * to 0 and {@code replicas} to 3.
 */
public record CreatePolicyRequest(String name, Integer tier, String failureDomain, Integer replicas) {}
