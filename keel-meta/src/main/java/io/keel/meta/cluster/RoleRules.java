package io.keel.meta.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The rules disk roles obey. A command's role changes are applied to the node's current roles and
 * the result checked, so one rule set serves creating the storage cluster, joining it, and
 * changing one disk. Rules are checked when roles change, not when a node reports a new
 * inventory: the inventory is a fact to record, even when it no longer fits the roles.
 *
 * <ul>
 *   <li>SYSTEM marks the disk the operating system lives on, so only a disk the node reported as
 *       its system disk can take it.</li>
 *   <li>The system disk may also be a storage or metadata disk (small clusters have nothing
 *       else), but not a cache: a cache absorbs the writes of every disk it serves, and putting
 *       that on the OS disk would tie all of them to the OS disk's load and failure.</li>
 *   <li>One metadata service per node, because a node holds one Raft member at most; at most five
 *       in the cluster, because Raft groups beyond five only add latency.</li>
 * </ul>
 */
final class RoleRules {
    static final int MAX_METADATA_SERVICES = 5;

    private RoleRules() {}

    /**
     * Applies {@code changes} (disk id to role; may be null, meaning none) to the roles {@code node}
     * has, checking each changed disk and then the node as a whole. Returns the node's new roles,
     * NONE dropped (absent means NONE).
     *
     * <p>Only changed disks are checked against the inventory: roles on a disk that has since
     * vanished from the inventory stay until cleared, and must not block changes to other disks.
     * Clearing (NONE) is allowed on such a disk, so that a stale metadata role can be removed.
     */
    static Map<String, DiskRole> apply(NodeRecord node, Map<String, DiskRole> changes) {
        Map<String, DiskRole> roles = new TreeMap<>(node.diskRoles());
        if (changes == null) {
            return roles;
        }
        Map<String, Disk> disks = new TreeMap<>();
        node.inventory().disks().forEach(d -> disks.put(d.id(), d));
        for (Map.Entry<String, DiskRole> entry : sorted(changes).entrySet()) {
            String diskId = entry.getKey();
            DiskRole role = Checks.required(entry.getValue(), "the role of disk " + Names.quote(diskId)
                    + " of node " + Names.quote(node.name()));
            Disk disk = disks.get(diskId);
            boolean clearingStaleRole = disk == null && role.type() == DiskRole.Type.NONE && roles.containsKey(diskId);
            if (disk == null && !clearingStaleRole) {
                throw Rejection.invalid("node " + Checks.describe(node) + " has no disk " + Names.quote(diskId)
                        + "; its disks are " + Checks.list(disks.keySet().stream().map(Names::quote).toList()));
            }
            if (disk != null) {
                checkDisk(node, disk, role);
            }
            if (role.type() == DiskRole.Type.NONE) {
                roles.remove(diskId);
            } else {
                roles.put(diskId, role);
            }
        }
        List<String> metadataDisks = new ArrayList<>();
        roles.forEach((diskId, role) -> {
            if (role.isMetadata()) {
                metadataDisks.add(Names.quote(diskId));
            }
        });
        if (metadataDisks.size() > 1) {
            throw Rejection.invalid("node " + Checks.describe(node) + " would have " + metadataDisks.size()
                    + " metadata disks (" + Checks.list(metadataDisks) + "): a node runs at most one metadata"
                    + " service, so give only one of its disks the metadata or metadata+cache role");
        }
        return roles;
    }

    private static void checkDisk(NodeRecord node, Disk disk, DiskRole role) {
        DiskRole.Type type = role.type();
        String which = "disk " + Names.quote(disk.id()) + " of node " + Checks.describe(node);
        if (type == DiskRole.Type.SYSTEM && !disk.system()) {
            throw Rejection.invalid(which + " is not the system disk, so it cannot take the system role");
        }
        if (disk.system() && (type == DiskRole.Type.CACHE || type == DiskRole.Type.METADATA_CACHE)) {
            throw Rejection.invalid(which + " is the system disk, which cannot be a cache: give it the system,"
                    + " storage or metadata role, and put the cache on a dedicated fast disk");
        }
    }

    /**
     * Checks the cluster-wide limits over {@code nodesAfter}: every node as it would be after the
     * command, including those the command does not touch.
     */
    static void checkCluster(Collection<NodeRecord> nodesAfter, boolean needsMetadata) {
        List<String> metadataNodes = nodesAfter.stream()
                .filter(NodeRecord::hasMetadataRole)
                .map(NodeRecord::name)
                .sorted()
                .map(Names::quote)
                .toList();
        if (metadataNodes.size() > MAX_METADATA_SERVICES) {
            throw Rejection.invalid("at most five metadata services per cluster, but this would give "
                    + metadataNodes.size() + " nodes a metadata disk (" + Checks.list(metadataNodes)
                    + "): keep metadata disks on at most five nodes and give the other disks storage or cache"
                    + " roles");
        }
        if (needsMetadata && metadataNodes.isEmpty()) {
            throw Rejection.invalid("a storage cluster needs at least one metadata disk: give one disk (of"
                    + " up to five nodes) the metadata or metadata+cache role");
        }
    }

    /** Command maps come from JSON in any order; messages and results must not depend on it. */
    private static <V> Map<String, V> sorted(Map<String, V> map) {
        if (map.keySet().stream().anyMatch(Objects::isNull)) {
            throw Rejection.invalid("disk id is required");
        }
        return new TreeMap<>(map);
    }
}
