package io.keel.node.daemon;

import io.keel.meta.cluster.NodeRecord;
import io.keel.node.service.PeerCall;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;

/** Calls of other nodes' internal API, signed with this node's credential like heartbeats are. */
final class PeerHttp implements PeerCall {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** A POST may wait for work on the other node (a snapshot pauses a writer and flushes it). */
    private static final Duration POST_TIMEOUT = Duration.ofSeconds(60);

    private final String selfId;
    private final String credential;
    private final InternalHttp http;

    PeerHttp(String selfId, String credential, InternalHttp http) {
        this.selfId = Objects.requireNonNull(selfId, "selfId");
        this.credential = Objects.requireNonNull(credential, "credential");
        this.http = Objects.requireNonNull(http, "http");
    }

    @Override
    public String get(NodeRecord node, String path) throws IOException, InterruptedException {
        HttpResponse<String> r = send(request(node, path, TIMEOUT).GET().build());
        if (r.statusCode() != 200) {
            throw new IOException("HTTP " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    @Override
    public Reply post(NodeRecord node, String path, String json) throws IOException, InterruptedException {
        Objects.requireNonNull(json, "json");
        HttpResponse<String> r = send(request(node, path, POST_TIMEOUT).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
        return new Reply(r.statusCode(), r.body());
    }

    private HttpRequest.Builder request(NodeRecord node, String path, Duration timeout) {
        return HttpRequest.newBuilder(http.uri(node.address(), node.apiPort(), path)).timeout(timeout)
                .header("Authorization", "Node " + selfId + ":" + credential);
    }

    private HttpResponse<String> send(HttpRequest req) throws IOException, InterruptedException {
        return http.client().send(req, HttpResponse.BodyHandlers.ofString());
    }
}
