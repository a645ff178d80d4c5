package io.keel.storage.volume;

import io.keel.storage.chunk.ChunkIOException;
import io.keel.storage.chunk.ChunkOperations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Runs chunk operations on replicas, one at a time or on several in parallel, reporting broken
 * connections to {@link ChunkServices} so they are re-established on the next use.
 */
final class ReplicaIo {
    private final ChunkServices services;
    private final ExecutorService executor;
    private final Duration timeout;
    /** Connections with requests {@link #startAll} left in their send queues (see {@link #sendHeld}). */
    private final Set<ChunkOperations> held = ConcurrentHashMap.newKeySet();

    /** What one replica did: {@code error} is null on success. */
    record Outcome(ReplicaRef replica, RuntimeException error) {
        boolean ok() {
            return error == null;
        }
    }

    interface Op {
        void run(ChunkOperations ops);
    }

    /** An operation that answers on a future (see {@link ChunkOperations#writeAsync}). */
    interface AsyncOp {
        CompletableFuture<Void> start(ChunkOperations ops);
    }

    /** An operation that differs by replica (erasure-coded fragments each get their own bytes). */
    interface RefOp {
        void run(ReplicaRef replica, ChunkOperations ops);
    }

    /** {@link AsyncOp} that differs by replica. */
    interface RefAsyncOp {
        CompletableFuture<Void> start(ReplicaRef replica, ChunkOperations ops);
    }

    ReplicaIo(ChunkServices services, ExecutorService executor, Duration timeout) {
        this.services = Objects.requireNonNull(services, "services");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** Where work that may block (a catalog change after a failure) runs: not on a client's reader. */
    ExecutorService executor() {
        return executor;
    }

    boolean isLocal(ReplicaRef replica) {
        return services.isLocal(replica);
    }

    /** Runs {@code op} on one replica; failures propagate as ChunkException or VolumeIoException. */
    <T> T call(ReplicaRef replica, Function<ChunkOperations, T> op) {
        ChunkOperations ops = services.open(replica);
        try {
            return op.apply(ops);
        } catch (ChunkIOException e) {
            services.failed(replica, ops);
            if (services.isLocal(replica)) {
                throw e;
            }
        }
        // A cached connection can be dead without anyone knowing (the service restarted on another
        // port, an idle connection was reset); one retry on a fresh connection tells a broken link
        // from a dead service. Every operation is safe to repeat: writes carry version and epoch.
        return op.apply(services.open(replica));
    }

    void run(ReplicaRef replica, Op op) {
        call(replica, ops -> {
            op.run(ops);
            return null;
        });
    }

    /**
     * Runs {@code op} on every replica in parallel and waits for all, within the I/O timeout each.
     * One replica, the local one if there is one, runs on the calling thread: handing it to
     * another thread and waiting for it costs more than a local write of a few KiB.
     */
    List<Outcome> onAll(List<ReplicaRef> replicas, Op op) {
        return onEach(replicas, (r, ops) -> op.run(ops));
    }

    /** {@link #onAll} with an operation that depends on the replica. */
    List<Outcome> onEach(List<ReplicaRef> replicas, RefOp op) {
        if (replicas.size() <= 1) {
            return replicas.isEmpty() ? List.of() : List.of(attempt(replicas.getFirst(), op));
        }
        int inline = 0;
        for (int i = 0; i < replicas.size(); i++) {
            if (services.isLocal(replicas.get(i))) {
                inline = i;
                break;
            }
        }
        List<Future<Outcome>> futures = new ArrayList<>(replicas.size());
        List<AtomicReference<ChunkOperations>> used = new ArrayList<>(replicas.size());
        for (int i = 0; i < replicas.size(); i++) {
            AtomicReference<ChunkOperations> ops = new AtomicReference<>();
            used.add(ops);
            ReplicaRef r = replicas.get(i);
            futures.add(i == inline ? null : executor.submit(() -> attempt(r, ops, op)));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Outcome mine = attempt(replicas.get(inline), used.get(inline), op);
        List<Outcome> out = new ArrayList<>(replicas.size());
        for (int i = 0; i < replicas.size(); i++) {
            out.add(i == inline ? mine : await(replicas.get(i), used.get(i), futures.get(i), deadline));
        }
        return out;
    }

    /**
     * Like {@link #onAll}, for operations that answer on a future: the calling thread starts the
     * operation on every replica, remote ones first so they overlap with the local one, then
     * waits for all. No thread is started per replica.
     */
    List<Outcome> onAllAsync(List<ReplicaRef> replicas, AsyncOp op) {
        return onEachAsync(replicas, (r, ops) -> op.start(ops));
    }

    /** {@link #onAllAsync} with an operation that depends on the replica. */
    List<Outcome> onEachAsync(List<ReplicaRef> replicas, RefAsyncOp op) {
        int n = replicas.size();
        List<ChunkOperations> used = new ArrayList<>(n);
        List<CompletableFuture<Void>> started = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            used.add(null);
            started.add(null);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < n; i++) {
                ReplicaRef r = replicas.get(i);
                if (services.isLocal(r) == (pass == 0)) {
                    continue;
                }
                try {
                    ChunkOperations ops = services.open(r);
                    used.set(i, ops);
                    started.set(i, op.start(r, ops));
                } catch (RuntimeException e) {
                    started.set(i, CompletableFuture.failedFuture(e));
                }
            }
        }
        awaitAll(started, deadline);
        List<Outcome> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(awaitStarted(replicas.get(i), used.get(i), started.get(i), deadline));
        }
        return out;
    }

    /**
     * Like {@link #onAllAsync}, without the wait: starts the operation on every replica, remote ones
     * first, and returns the outcomes on a future. When every replica succeeds the future completes
     * on the thread that saw the last answer (for a remote replica the chunk client's reader), so a
     * write costs no thread hand-off. Any failure is settled on the executor instead: reporting a
     * broken connection closes that client, which must not run on the client's own reader.
     *
     * <p>There is no timer here: a remote call's deadline is enforced by its client's watchdog, which
     * fails the connection and with it the future; local stores answer before {@code start} returns.
     */
    CompletableFuture<List<Outcome>> startAll(List<ReplicaRef> replicas, AsyncOp op) {
        return startAll(replicas, op, false);
    }

    /**
     * {@link #startAll}; with {@code hold}, {@code op} is one that may leave its request in the
     * connection's send queue ({@link ChunkOperations#writeAsyncHeld}), and the caller must call
     * {@link #sendHeld} before it waits for anything.
     */
    CompletableFuture<List<Outcome>> startAll(List<ReplicaRef> replicas, AsyncOp op, boolean hold) {
        int n = replicas.size();
        if (n == 0) {
            return CompletableFuture.completedFuture(List.of());
        }
        ChunkOperations[] used = new ChunkOperations[n];
        @SuppressWarnings("unchecked")
        CompletableFuture<Void>[] started = new CompletableFuture[n];
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < n; i++) {
                ReplicaRef r = replicas.get(i);
                if (services.isLocal(r) == (pass == 0)) {
                    continue;
                }
                try {
                    ChunkOperations ops = services.open(r);
                    used[i] = ops;
                    started[i] = op.start(ops);
                    if (hold) {
                        // After the request was queued: a sendHeld that took the connection out
                        // of the set before this would otherwise miss it.
                        held.add(ops);
                    }
                } catch (RuntimeException e) {
                    started[i] = CompletableFuture.failedFuture(e);
                }
            }
        }
        CompletableFuture<List<Outcome>> result = new CompletableFuture<>();
        AtomicInteger remaining = new AtomicInteger(n);
        Runnable last = () -> {
            for (CompletableFuture<Void> f : started) {
                if (f.isCompletedExceptionally()) {
                    executor.execute(() -> result.complete(settle(replicas, used, started)));
                    return;
                }
            }
            List<Outcome> ok = new ArrayList<>(n);
            for (ReplicaRef r : replicas) {
                ok.add(new Outcome(r, null));
            }
            result.complete(ok);
        };
        for (CompletableFuture<Void> f : started) {
            f.whenComplete((v, t) -> {
                if (remaining.decrementAndGet() == 0) {
                    last.run();
                }
            });
        }
        return result;
    }

    /** Sends every request {@link #startAll} left queued, on every connection. */
    void sendHeld() {
        if (held.isEmpty()) {
            return;
        }
        for (ChunkOperations ops : held) {
            held.remove(ops);
            ops.sendHeld();
        }
    }

    /** The outcomes of futures that have all completed, reporting broken connections. */
    private List<Outcome> settle(List<ReplicaRef> replicas, ChunkOperations[] used, CompletableFuture<Void>[] done) {
        List<Outcome> out = new ArrayList<>(replicas.size());
        for (int i = 0; i < replicas.size(); i++) {
            out.add(awaitStarted(replicas.get(i), used[i], done[i], System.nanoTime()));
        }
        return out;
    }

    /** One timed wait for all, not one per future: each timed wait of a virtual thread arms a timer. */
    private static void awaitAll(List<CompletableFuture<Void>> futures, long deadline) {
        List<CompletableFuture<Void>> open = futures.stream().filter(f -> !f.isDone()).toList();
        if (open.isEmpty()) {
            return;
        }
        try {
            CompletableFuture.allOf(open.toArray(CompletableFuture[]::new))
                    .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // Each future's own outcome is read next.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Outcome awaitStarted(ReplicaRef replica, ChunkOperations ops, CompletableFuture<Void> f, long deadline) {
        RuntimeException error;
        try {
            if (f.isDone()) {
                f.get();
            } else {
                f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            return new Outcome(replica, null);
        } catch (TimeoutException e) {
            error = new ChunkIOException("replica " + replica + " did not answer within " + timeout);
        } catch (ExecutionException e) {
            error = e.getCause() instanceof RuntimeException re ? re
                    : new ChunkIOException("replica " + replica + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = new ChunkIOException("interrupted waiting for replica " + replica, e);
        }
        if (ops != null && error instanceof ChunkIOException) {
            services.failed(replica, ops);
        }
        return new Outcome(replica, error);
    }

    private Outcome attempt(ReplicaRef replica, RefOp op) {
        return attempt(replica, new AtomicReference<>(), op);
    }

    private Outcome attempt(ReplicaRef replica, AtomicReference<ChunkOperations> used, RefOp op) {
        try {
            ChunkOperations ops = services.open(replica);
            used.set(ops);
            try {
                op.run(replica, ops);
            } catch (ChunkIOException e) {
                services.failed(replica, ops);
                throw e;
            }
            return new Outcome(replica, null);
        } catch (RuntimeException e) {
            return new Outcome(replica, e);
        }
    }

    private Outcome await(ReplicaRef replica, AtomicReference<ChunkOperations> used, Future<Outcome> f,
            long deadline) {
        try {
            return f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            ChunkOperations ops = used.get();
            if (ops != null) {
                // A service that hangs is as good as gone: the next use should connect afresh.
                services.failed(replica, ops);
            }
            return new Outcome(replica, new ChunkIOException("replica " + replica + " did not answer within " + timeout));
        } catch (ExecutionException e) {
            return new Outcome(replica, new ChunkIOException("replica " + replica + " failed", e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(true);
            return new Outcome(replica, new ChunkIOException("interrupted waiting for replica " + replica, e));
        }
    }
}
