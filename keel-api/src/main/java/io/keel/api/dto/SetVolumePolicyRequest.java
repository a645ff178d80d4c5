package io.keel.api.dto;

/** The name of the storage policy the volume moves to. */
public record SetVolumePolicyRequest(String policy) {}
