package io.keel.node.daemon;

import io.keel.meta.cluster.NodeRecord;
import io.keel.node.service.PeerCall;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;

/** GETs of other nodes' internal API, signed with this node's credential like heartbeats are. */
final class PeerGet implements PeerCall {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final String selfId;
    private final String credential;
    private final InternalHttp http;

    PeerGet(String selfId, String credential, InternalHttp http) {
        this.selfId = Objects.requireNonNull(selfId, "selfId");
        this.credential = Objects.requireNonNull(credential, "credential");
        this.http = Objects.requireNonNull(http, "http");
    }

    @Override
    public String get(NodeRecord node, String path) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(http.uri(node.address(), node.apiPort(), path)).GET().timeout(TIMEOUT)
                .header("Authorization", "Node " + selfId + ":" + credential).build();
        HttpResponse<String> r = http.client().send(req, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("HTTP " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }
}
