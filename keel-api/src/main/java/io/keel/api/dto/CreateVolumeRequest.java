package io.keel.api.dto;

/**
 * A new volume. {@code size} and {@code chunkSize} are bytes or a number ending in K, M, G or T
 * (powers of 1024); the size is a multiple of 4 KiB, the chunk size a power of two from 1M to
 * 256M (default 64M). Without {@code policy} the volume gets the cluster's only storage policy
 * when there is exactly one; otherwise the request is refused and must name one.
 */
public record CreateVolumeRequest(String name, String size, String policy, String chunkSize) {}
