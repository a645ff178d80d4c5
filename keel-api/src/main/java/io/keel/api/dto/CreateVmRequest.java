package io.keel.api.dto;

import java.util.List;

/**
 * A new VM. The boot disk is an existing {@code volume}, or a copy-on-write clone of
 * {@code image} of at least {@code bootSize}; {@code disks} adds new empty volumes. {@code node}
 * pins the first host (default: the compute node with the most free RAM);
 * {@code placement} is auto | failover | pinned (default auto). {@code start} defaults to true.
 * {@code nics}: network interfaces, in order (none by default). {@code cdrom}: an ISO image to put in
 * the CD-ROM drive, which then boots first; with it and without volume or image, the boot disk is
 * a new empty volume of {@code bootSize} to install on.
 */
public record CreateVmRequest(
        String name,
        String flavor,
        String image,
        String volume,
        String bootSize,
        String policy,
        List<NewDiskRequest> disks,
        String node,
        String placement,
        Boolean start,
        Integer waitSeconds,
        List<NewNicRequest> nics,
        String cdrom) {}
