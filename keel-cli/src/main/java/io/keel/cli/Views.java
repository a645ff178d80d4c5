package io.keel.cli;

import java.util.List;

/**
 * The CLI's reading of the API's JSON (see keel-api's dto package, which the CLI does not depend
 * on). Unknown fields are ignored; instants stay ISO-8601 strings.
 */
final class Views {
    private Views() {}

    record LoginRequest(String username, String password) {
        @Override
        public String toString() {
            return "LoginRequest[username=" + username + "]";
        }
    }

    record LoginResponse(String token, String username, String expiresAt) {
        @Override
        public String toString() {
            return "LoginResponse[username=" + username + ", expiresAt=" + expiresAt + "]";
        }
    }

    record MetadataMember(String nodeId, String name, String address, int raftPort, boolean up) {}

    record Metadata(List<MetadataMember> members, String leaderId, long term, long commitIndex, int up,
            int total, boolean quorum) {}

    record Cluster(String id, String name, String createdAt, String storageClusterCreatedAt, boolean encryption,
            String managementNodeId, int nodes, Metadata metadata) {}

    record CreateClusterRequest(String name, List<String> nodes, Boolean encryption) {}

    record LocationRef(String roomId, String room, String rowId, String row, String rackId, String rack) {}

    record NetInterface(String name, String mac, List<String> addresses, boolean up, int mtu) {}

    record InventoryDisk(String id, String kind, String device, long sizeBytes, boolean rotational, String model,
            String serial, boolean system) {}

    record Inventory(String hostname, String os, String cpuModel, int cpuCores, long memoryBytes,
            List<NetInterface> interfaces, List<InventoryDisk> disks) {}

    record Node(String id, String name, String address, int apiPort, String status, boolean inCluster,
            boolean maintenance, List<String> roles, LocationRef location, Long heartbeatAgeMs, String joinedAt,
            Inventory inventory, String release) {}

    record Disk(String nodeId, String nodeName, String id, String kind, String device, long sizeBytes,
            boolean rotational, String model, String serial, boolean system, String role, Integer tier,
            boolean checksumming, boolean caching) {}

    /** {@code disk} is set only inside {@link JoinClusterRequest}; the path names the disk otherwise. */
    record DiskRoleRequest(String disk, String role, Integer tier, Boolean checksumming, Boolean caching) {}

    record JoinClusterRequest(List<DiskRoleRequest> roles) {}

    record JoinToken(String token, long generation, String expiresAt, String managementAddress) {}

    record RotateTokenRequest(Long ttlSeconds) {}

    record Location(String id, String type, String name, String parentId, List<String> nodeIds) {}

    record CreateLocationRequest(String type, String name, String parent) {}

    record RenameLocationRequest(String name) {}

    record MoveNodeRequest(String rack) {}
}
