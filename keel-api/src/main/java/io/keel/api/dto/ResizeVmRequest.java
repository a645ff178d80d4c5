package io.keel.api.dto;

/** The flavor whose vCPUs and RAM a shut-off VM takes. */
public record ResizeVmRequest(String flavor) {}
