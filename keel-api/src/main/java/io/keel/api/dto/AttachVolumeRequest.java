package io.keel.api.dto;

/**
 * A disk to attach to a VM: an existing {@code volume} (id or name), or a new empty one of
 * {@code size} ("10G") under storage {@code policy} (default: the cluster's only policy), which
 * then belongs to the VM. {@code waitSeconds}: how long to wait for a running guest to get the
 * disk (default 120; 0 returns at once).
 */
public record AttachVolumeRequest(String volume, String size, String policy, Integer waitSeconds) {}
