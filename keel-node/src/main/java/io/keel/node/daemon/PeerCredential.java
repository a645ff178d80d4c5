package io.keel.node.daemon;

import io.keel.api.console.NodeCredential;
import java.net.http.HttpClient;
import java.util.Objects;

/**
 * This node's credential for calls to other nodes' APIs, the same one heartbeats send
 * ({@code Authorization: Node <nodeId>:<secret>}), with the node-to-node HTTP client. Given to the
 * API so it can reach the console of a VM hosted on another node:
 * {@code services.withConsoles(consoleService, new PeerCredential(identity.nodeId(), identity.nodeSecret(), http))}.
 */
public record PeerCredential(String nodeId, String secret, InternalHttp http) implements NodeCredential {
    public PeerCredential {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(http, "http");
    }

    @Override
    public String authorization() {
        return "Node " + nodeId + ":" + secret;
    }

    @Override
    public HttpClient client() {
        return http.client();
    }

    @Override
    public String toString() {
        return "PeerCredential[nodeId=" + nodeId + "]";
    }
}
