package io.keel.api.console;

import java.net.http.HttpClient;

/**
 * This node's own credential for calling another node's API, as heartbeats do: the API node uses
 * it to reach the console of a VM hosted elsewhere. Implemented by the node daemon, which holds the
 * secret; passed in, never looked up, so the API layer holds no secret of its own.
 */
public interface NodeCredential {
    /** The {@code Authorization} header value: {@code Node <nodeId>:<secret>}. Never log it. */
    String authorization();

    /**
     * The client for node-to-node calls: HTTP/1.1 and, when the cluster uses TLS, the peer trust
     * that ADR 0006 describes.
     */
    HttpClient client();
}
