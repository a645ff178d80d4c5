package io.keel.node.daemon;

import io.keel.api.dto.PeerView;
import io.keel.meta.raft.Peer;
import java.util.List;

/** The metadata peers this node knows of; read by the gateway, kept current by the agent. */
final class PeerBook {
    private volatile List<PeerView> peers;

    PeerBook(List<PeerView> initial) {
        this.peers = List.copyOf(initial);
    }

    List<PeerView> views() {
        return peers;
    }

    List<Peer> current() {
        return peers.stream().map(p -> new Peer(p.nodeId(), p.address(), p.raftPort())).toList();
    }

    void set(List<PeerView> now) {
        peers = List.copyOf(now);
    }
}
