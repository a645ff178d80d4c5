package io.keel.meta.shard;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Group commit (ADR 0050): batches that callers hand in while earlier ones are being replicated
 * travel together in one Raft entry. A log entry costs the leader and each follower an append,
 * an fsync share, a network message and a state-machine transaction whatever its size, and on a
 * busy node those, not the bytes, bound how many small S3 PUTs a shard commits per second.
 *
 * <p>A fixed set of virtual threads ("senders") takes what is queued: alone when the shard is idle,
 * so a lone commit waits for nobody; as a group of up to {@link ShardGroupCodec#MAX_BATCHES} when
 * batches queued up behind busy senders. Each member keeps its own outcome; a group that fails as
 * a whole (no quorum in time) fails every member with the same unknown outcome a single batch
 * would have.
 */
final class GroupCommitter implements AutoCloseable {
    /** Sends one Raft command and returns the logic's result bytes. */
    @FunctionalInterface
    interface Submitter {
        byte[] submit(byte[] command) throws ShardUnavailableException;
    }

    private record Pending(byte[] batch, CompletableFuture<ShardOutcome> outcome) {}

    private static final Pending STOP = new Pending(new byte[0], new CompletableFuture<>());

    private final Submitter submitter;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final List<Thread> senders = new ArrayList<>();
    private volatile boolean closed;

    GroupCommitter(String name, int senders, Submitter submitter) {
        Objects.requireNonNull(name, "name");
        this.submitter = Objects.requireNonNull(submitter, "submitter");
        if (senders < 1) {
            throw new IllegalArgumentException("senders must be positive, not " + senders);
        }
        for (int i = 0; i < senders; i++) {
            this.senders.add(Thread.ofVirtual().name(name + "-commit-" + i).start(this::send));
        }
    }

    /** Commits one encoded version-1 batch; returns its outcome. */
    ShardOutcome commit(byte[] batch) throws ShardUnavailableException {
        Objects.requireNonNull(batch, "batch");
        Pending p = new Pending(batch, new CompletableFuture<>());
        if (closed) {
            throw new IllegalStateException("the index shard client is closed");
        }
        queue.add(p);
        if (closed) {
            // close() may have drained the queue before our add: fail rather than wait forever.
            p.outcome().completeExceptionally(new IllegalStateException("the index shard client is closed"));
        }
        try {
            return p.outcome().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ShardUnavailableException("interrupted waiting for a commit; its outcome is unknown", e);
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case ShardUnavailableException u -> throw new ShardUnavailableException(u.getMessage(), u);
                case RuntimeException r -> throw r;
                default -> throw new IllegalStateException(e.getCause());
            }
        }
    }

    private void send() {
        Pending carry = null;
        while (true) {
            Pending first;
            try {
                first = carry != null ? carry : queue.take();
            } catch (InterruptedException e) {
                return;
            }
            carry = null;
            if (first == STOP) {
                return;
            }
            List<Pending> group = new ArrayList<>();
            group.add(first);
            long bytes = first.batch().length;
            while (group.size() < ShardGroupCodec.MAX_BATCHES) {
                Pending next = queue.poll();
                if (next == null) {
                    break;
                }
                if (next == STOP || bytes + next.batch().length > ShardGroupCodec.MAX_BYTES) {
                    carry = next;
                    break;
                }
                group.add(next);
                bytes += next.batch().length;
            }
            deliver(group);
        }
    }

    private void deliver(List<Pending> group) {
        try {
            if (group.size() == 1) {
                byte[] result = submitter.submit(group.getFirst().batch());
                group.getFirst().outcome().complete(ShardCodec.decodeOutcome(result));
                return;
            }
            byte[] result = submitter.submit(ShardGroupCodec.encode(group.stream().map(Pending::batch).toList()));
            if (!ShardGroupCodec.isGroup(result)) {
                // The group as a whole was refused (it did not decode): the same answer for each member.
                ShardOutcome whole = ShardCodec.decodeOutcome(result);
                group.forEach(p -> p.outcome().complete(whole));
                return;
            }
            List<ShardOutcome> outcomes = ShardGroupCodec.decodeOutcomes(result, group.size());
            for (int i = 0; i < group.size(); i++) {
                group.get(i).outcome().complete(outcomes.get(i));
            }
        } catch (ShardUnavailableException | RuntimeException e) {
            group.forEach(p -> p.outcome().completeExceptionally(e));
        }
    }

    /** Batches waiting for a sender, for tests. */
    int queued() {
        return queue.size();
    }

    /** Stops the senders; batches still queued fail, batches being sent end as their submit does. */
    @Override
    public void close() {
        closed = true;
        for (int i = 0; i < senders.size(); i++) {
            queue.add(STOP);
        }
        for (Thread t : senders) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        Pending p;
        while ((p = queue.poll()) != null) {
            if (p != STOP) {
                p.outcome().completeExceptionally(new IllegalStateException("the index shard client is closed"));
            }
        }
    }
}
