package io.keel.api.dto;

/**
 * {@code disk} names the disk (only in lists; the path names it otherwise). {@code role} is
 * none, storage, metadata, cache, metadata+cache or system.
 */
public record DiskRoleRequest(String disk, String role, Integer tier, Boolean checksumming, Boolean caching) {}
