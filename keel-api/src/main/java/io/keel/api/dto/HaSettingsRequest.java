package io.keel.api.dto;

/** A change of the cluster's HA settings; a value left out (null) stays as it is. */
public record HaSettingsRequest(Boolean migrateBack, String relocation, Integer shutdownTimeoutSeconds) {}
