package io.keel.api.dto;

import java.util.List;

/** What a node needs to take part: its id, its credential, and the metadata group's members. */
public record JoinResponse(String clusterId, String nodeId, String nodeSecret, String raftGroupId, List<PeerView> peers) {
    @Override
    public String toString() {
        return "JoinResponse[clusterId=" + clusterId + ", nodeId=" + nodeId + "]";
    }
}
