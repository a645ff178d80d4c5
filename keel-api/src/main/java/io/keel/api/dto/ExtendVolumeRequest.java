package io.keel.api.dto;

/** The volume's new size, bytes or a number ending in K, M, G or T; it must not be below the current one. */
public record ExtendVolumeRequest(String size) {}
