package io.keel.node.monitoring;

import io.keel.meta.cluster.NodeRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks every other node in parallel and waits for them together up to one deadline: a node known
 * down is not asked and one that fails or is late is named, so a page that sums the nodes' figures
 * stays quick and says what its sums lack (ADR 0053).
 */
final class PeerGather {
    private static final Logger log = LoggerFactory.getLogger(PeerGather.class);

    /** One call to one node. */
    @FunctionalInterface
    interface Call<T> {
        T ask(NodeRecord node) throws Exception;
    }

    /** What the nodes that answered said, and the names of those that did not, sorted. */
    record Answers<T>(List<T> answers, List<String> missing) {}

    private final String selfId;
    private final Predicate<String> alive;
    private final Executor executor;
    private final Duration timeout;

    PeerGather(String selfId, Predicate<String> alive, Executor executor, Duration timeout) {
        this.selfId = Objects.requireNonNull(selfId, "selfId");
        this.alive = Objects.requireNonNull(alive, "alive");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    <T> Answers<T> ask(List<NodeRecord> nodes, String what, Call<T> call) {
        Map<NodeRecord, CompletableFuture<T>> asked = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (NodeRecord n : nodes) {
            if (n.id().equals(selfId)) {
                continue;
            }
            if (!alive.test(n.id())) {
                missing.add(n.name());
                continue;
            }
            asked.put(n, CompletableFuture.supplyAsync(() -> {
                try {
                    return call.ask(n);
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            }, executor));
        }
        List<T> answers = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        for (var e : asked.entrySet()) {
            try {
                answers.add(e.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (TimeoutException | ExecutionException ex) {
                log.debug("{} of node {} left out: {}", what, e.getKey().name(), ex.toString());
                e.getValue().cancel(true);
                missing.add(e.getKey().name());
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                missing.add(e.getKey().name());
            }
        }
        return new Answers<>(answers, missing.stream().sorted().toList());
    }
}
