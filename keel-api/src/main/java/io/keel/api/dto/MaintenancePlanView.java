package io.keel.api.dto;

import java.util.List;

/**
 * A node's maintenance: its mode (active | maintenance | shutdown), what evacuating it does now
 * (moves, blockers), and the VMs still on it that have to leave ({@code remaining}: empty once
 * the node is evacuated; a stopped pinned VM stays and is not counted).
 */
public record MaintenancePlanView(String node, String nodeName, String mode, List<MaintenanceMoveView> moves,
        List<MaintenanceBlockerView> blockers, List<String> remaining) {}
