package io.keel.node.health;

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
    private final ObjectMapper json = new ObjectMapper();

    public HeartbeatSender(String selfId, String credential, InternalHttp http,
            Supplier<List<NodeRecord>> nodes, Duration interval, Clock clock) {
        this.selfId = Objects.requireNonNull(selfId, "selfId");
        this.credential = Objects.requireNonNull(credential, "credential");
        this.http = Objects.requireNonNull(http, "http");
        this.nodes = Objects.requireNonNull(nodes, "nodes");
        this.interval = Objects.requireNonNull(interval, "interval");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** One round: returns when every send has finished or the interval has passed. */
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
            body = json.writeValueAsBytes(new HeartbeatRequest(selfId, clock.millis()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        CompletableFuture<?>[] sends = targets.stream().map(n -> send(n, body)).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(sends).get(interval.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // Late or failed sends are normal while a node is down; its age grows in the others' view.
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
