package io.keel.node.health;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keel.api.dto.HeartbeatRequest;
import io.keel.meta.cluster.NodeRecord;
import io.keel.node.daemon.InternalHttp;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one heartbeat to every other node per round. Sends are concurrent and bounded by the
 * interval, so one dead node cannot delay the heartbeats to the live ones.
 */
public final class HeartbeatSender {
    private static final Logger log = LoggerFactory.getLogger(HeartbeatSender.class);

    private final String selfId;
    private final String credential;
    private final InternalHttp http;
    private final Supplier<List<NodeRecord>> nodes;
    private final Duration interval;
    private final Clock clock;
    private final BooleanSupplier haActing;
    private final ObjectMapper json = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);

    public HeartbeatSender(String selfId, String credential, InternalHttp http,
            Supplier<List<NodeRecord>> nodes, Duration interval, Clock clock, BooleanSupplier haActing) {
        this.selfId = Objects.requireNonNull(selfId, "selfId");
        this.credential = Objects.requireNonNull(credential, "credential");
        this.http = Objects.requireNonNull(http, "http");
        this.nodes = Objects.requireNonNull(nodes, "nodes");
        this.interval = Objects.requireNonNull(interval, "interval");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.haActing = Objects.requireNonNull(haActing, "haActing");
    }

    /** One round: starts a heartbeat to every other node and returns at once. */
    public void round() {
        List<NodeRecord> targets;
        try {
            targets = nodes.get().stream().filter(n -> !n.id().equals(selfId)).toList();
        } catch (RuntimeException e) {
            log.debug("no node list for heartbeats this round: {}", e.getMessage());
            return;
        }
        byte[] body;
        try {
            body = json.writeValueAsBytes(new HeartbeatRequest(selfId, clock.millis(), haActing.getAsBoolean() ? null : false));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        // Fire and forget: each send has its own timeout, and a round never waits for a slow or
        // dead peer, so the live ones hear from this node every interval even under load.
        for (NodeRecord n : targets) {
            send(n, body);
        }
    }

    private CompletableFuture<?> send(NodeRecord target, byte[] body) {
        URI uri = http.uri(target.address(), target.apiPort(), "/api/v1/internal/heartbeat");
        HttpRequest req = HttpRequest.newBuilder(uri)
                .timeout(interval)
                .header("Content-Type", "application/json")
                .header("Authorization", "Node " + selfId + ":" + credential)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return http.client().sendAsync(req, HttpResponse.BodyHandlers.discarding())
                .whenComplete((resp, err) -> {
                    if (resp != null && resp.statusCode() != 204) {
                        log.warn("heartbeat to node {} ({}) answered HTTP {}", target.name(), uri, resp.statusCode());
                    }
                });
    }
}
