package io.keel.api.dto;

import java.time.Instant;
import java.util.List;

/**
 * A VM snapshot: {@code vm} is the VM's name, {@code disks} the volume snapshot taken of each disk,
 * {@code pausedMillis} how long the guest's vCPUs were stopped for it (0 when it was not running;
 * with memory it includes writing the RAM). With memory, {@code stateVolume} names the volume
 * holding the machine state and {@code stateBytes} its length; null and 0 without.
 */
public record VmSnapshotView(String id, String name, String vm, Instant createdAt, boolean withMemory,
        long pausedMillis, List<VmSnapshotDiskView> disks, String stateVolume, long stateBytes) {}
