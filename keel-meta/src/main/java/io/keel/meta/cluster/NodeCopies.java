package io.keel.meta.cluster;

import java.util.Map;

/** Copies of a {@link NodeRecord} with one aspect changed; kept here so the shared record stays lean. */
final class NodeCopies {
    private NodeCopies() {}

    static NodeRecord withInventory(NodeRecord n, Inventory inventory) {
        return new NodeRecord(n.id(), n.name(), n.address(), n.apiPort(), n.raftPort(), n.secretHash(),
                n.joinedAt(), n.inCluster(), n.maintenance(), n.rackId(), inventory, n.diskRoles());
    }

    static NodeRecord withRack(NodeRecord n, String rackId) {
        return new NodeRecord(n.id(), n.name(), n.address(), n.apiPort(), n.raftPort(), n.secretHash(),
                n.joinedAt(), n.inCluster(), n.maintenance(), rackId, n.inventory(), n.diskRoles());
    }

    static NodeRecord withMaintenance(NodeRecord n, boolean maintenance) {
        return new NodeRecord(n.id(), n.name(), n.address(), n.apiPort(), n.raftPort(), n.secretHash(),
                n.joinedAt(), n.inCluster(), maintenance, n.rackId(), n.inventory(), n.diskRoles());
    }

    static NodeRecord withRoles(NodeRecord n, Map<String, DiskRole> roles) {
        return new NodeRecord(n.id(), n.name(), n.address(), n.apiPort(), n.raftPort(), n.secretHash(),
                n.joinedAt(), n.inCluster(), n.maintenance(), n.rackId(), n.inventory(), roles);
    }

    static NodeRecord inStorageCluster(NodeRecord n, Map<String, DiskRole> roles) {
        return new NodeRecord(n.id(), n.name(), n.address(), n.apiPort(), n.raftPort(), n.secretHash(),
                n.joinedAt(), true, n.maintenance(), n.rackId(), n.inventory(), roles);
    }
}
