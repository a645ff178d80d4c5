package io.keel.api.dto;

/** Exports {@code volume} (id or name) from a group as LUN {@code lun} (0-16383), or the lowest free one when null. */
public record AttachIscsiLunRequest(String volume, Integer lun) {}
