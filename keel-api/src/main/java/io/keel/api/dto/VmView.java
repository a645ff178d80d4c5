package io.keel.api.dto;

import java.time.Instant;
import java.util.List;

/**
 * A VM. {@code status} is what its host last reported (BUILD, ACTIVE, SHUTOFF, PAUSED, SUSPENDED,
 * MIGRATING, ERROR) with {@code statusReason}; {@code power} what was asked for (running, paused,
 * stopped). {@code node}/{@code nodeName} is the host. {@code migration}: the running or last live
 * migration, or null. {@code cdrom}: the name of the ISO image in the CD-ROM drive, or null. {@code savedState}: the saved state of a suspended VM (or one being suspended),
 * else null. {@code ha}: the HA manager's state of the VM and why it waits, or null before the
 * manager has seen it.
 */
public record VmView(
        String id,
        String name,
        String status,
        String statusReason,
        String power,
        String node,
        String nodeName,
        String flavor,
        int vcpus,
        int ramMiB,
        String placement,
        String image,
        List<VmDiskView> disks,
        Instant createdAt,
        Instant statusAt,
        VmMigrationView migration,
        VmSavedStateView savedState,
        List<VmNicView> nics,
        String cdrom,
        VmHaView ha) {}
