package io.keel.node.service;

import io.keel.meta.cluster.Disk;
import io.keel.meta.cluster.DiskRole;
import io.keel.meta.cluster.NodeRecord;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Roles for a node that joins the storage cluster without explicit ones (ADR 0004): system disks
 * keep the system role; if the node has directory-backed development disks only those are used,
 * so an embedded cluster never claims the host's real disks; of the usable disks the first (by id)
 * becomes a metadata disk while the cluster has fewer than three metadata services, the rest are
 * storage on tier 0 with checksumming on.
 *
 * <p>Three, not five: a fourth member would make an even Raft group, which survives no more
 * failures than three yet needs one more answer per write, so one slow or dead member of four
 * stalls every metadata write the other three could have carried. Going to five is the
 * administrator's choice of two more nodes ({@code keel disk assign NODE DISK --role metadata}).
 */
final class RoleAssigner {
    static final int DEFAULT_METADATA_SERVICES = 3;

    private RoleAssigner() {}

    static Map<String, DiskRole> assign(NodeRecord node, int metadataServicesSoFar) {
        List<Disk> disks = node.inventory().disks().stream().sorted(Comparator.comparing(Disk::id)).toList();
        boolean hasDirectoryDisks = disks.stream().anyMatch(d -> "directory".equals(d.kind()));
        Map<String, DiskRole> roles = new LinkedHashMap<>();
        boolean metadataTaken = metadataServicesSoFar >= DEFAULT_METADATA_SERVICES;
        for (Disk d : disks) {
            if (d.system()) {
                roles.put(d.id(), DiskRole.SYSTEM);
            } else if (hasDirectoryDisks && !"directory".equals(d.kind())) {
                continue;
            } else if (!metadataTaken) {
                roles.put(d.id(), DiskRole.METADATA);
                metadataTaken = true;
            } else {
                roles.put(d.id(), DiskRole.storage(0, true, false));
            }
        }
        return roles;
    }
}
