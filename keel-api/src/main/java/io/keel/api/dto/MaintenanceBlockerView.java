package io.keel.api.dto;

/** A VM that keeps a node from entering maintenance, and why. */
public record MaintenanceBlockerView(String vm, String vmName, String reason) {}
