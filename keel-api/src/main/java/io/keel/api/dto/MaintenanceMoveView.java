package io.keel.api.dto;

/** One VM of a maintenance plan and where it goes: {@code action} migrate | relocate | reassign | freeze. */
public record MaintenanceMoveView(String vm, String vmName, String action, String to, String toName) {}
