package io.keel.storage.volume;

import io.keel.storage.chunk.ChunkIOException;
import io.keel.storage.chunk.ChunkOperations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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

    /** What one replica did: {@code error} is null on success. */
    record Outcome(ReplicaRef replica, RuntimeException error) {
        boolean ok() {
            return error == null;
        }
    }

    interface Op {
        void run(ChunkOperations ops);
    }

    ReplicaIo(ChunkServices services, ExecutorService executor, Duration timeout) {
        this.services = Objects.requireNonNull(services, "services");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
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

    /** Runs {@code op} on every replica in parallel and waits for all, within the I/O timeout each. */
    List<Outcome> onAll(List<ReplicaRef> replicas, Op op) {
        if (replicas.size() == 1) {
            return List.of(attempt(replicas.getFirst(), op));
        }
        List<Future<Outcome>> futures = new ArrayList<>(replicas.size());
        List<AtomicReference<ChunkOperations>> used = new ArrayList<>(replicas.size());
        for (ReplicaRef r : replicas) {
            AtomicReference<ChunkOperations> ops = new AtomicReference<>();
            used.add(ops);
            futures.add(executor.submit(() -> attempt(r, ops, op)));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Outcome> out = new ArrayList<>(replicas.size());
        for (int i = 0; i < replicas.size(); i++) {
            out.add(await(replicas.get(i), used.get(i), futures.get(i), deadline));
        }
        return out;
    }

    private Outcome attempt(ReplicaRef replica, Op op) {
        return attempt(replica, new AtomicReference<>(), op);
    }

    private Outcome attempt(ReplicaRef replica, AtomicReference<ChunkOperations> used, Op op) {
        try {
            ChunkOperations ops = services.open(replica);
            used.set(ops);
            try {
                op.run(ops);
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
