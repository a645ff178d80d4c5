package io.keel.api.dto;

/**
 * {@code vcpus} 1-256; {@code ram} a size such as "512M" or "2G" (a bare number is bytes), 64 MiB
 * to 4 TiB in whole multiples of 4 MiB.
 */
public record CreateFlavorRequest(String name, Integer vcpus, String ram) {}
