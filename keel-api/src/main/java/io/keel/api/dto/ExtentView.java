package io.keel.api.dto;

/** {@code length} bytes from byte {@code offset}. */
public record ExtentView(long offset, long length) {}
