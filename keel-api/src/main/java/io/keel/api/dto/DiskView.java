package io.keel.api.dto;

/**
 * {@code role} is none, storage, metadata, cache, metadata+cache or system; {@code tier} is set
 * for storage, cache and metadata+cache.
 */
public record DiskView(
        String nodeId,
        String nodeName,
        String id,
        String kind,
        String device,
        long sizeBytes,
        boolean rotational,
        String model,
        String serial,
        boolean system,
        String role,
        Integer tier,
        boolean checksumming,
        boolean caching) {}
