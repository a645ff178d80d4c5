package io.keel.storage.scrub;

import io.keel.storage.chunk.ChunkException;
import io.keel.storage.chunk.ChunkId;
import io.keel.storage.chunk.ChunkInfo;
import io.keel.storage.chunk.ChunkNotFoundException;
import io.keel.storage.chunk.ChunkOperations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies every chunk of one store in the background: a pass calls {@link ChunkOperations#scrub}
 * on each chunk, throttled to {@link ScrubberOptions#bytesPerSecond()} of allocated bytes, then
 * the scrubber waits {@link ScrubberOptions#interval()} and starts over. Bad chunks go to the
 * {@link ScrubListener} as they are found; each completed pass becomes the {@link #lastReport()}.
 *
 * <p>Thread-safe. {@link #start()} and {@link #stop()} may be called from any thread, any number
 * of times; stop returns once the background thread has ended, which is after the chunk being
 * scrubbed, never in the middle of one, and waits (throttling, the interval) end at once. The
 * scrubber never interrupts its thread: an interrupt would close chunk files under other users.
 * Throttling works between chunks, so a chunk is read at disk speed and the pause follows it.
 */
public final class Scrubber implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Scrubber.class);
    /** A tenth of a second of burst: enough to skip needless waits after tiny chunks. */
    private static final long BURST_SECONDS_DIVISOR = 10;

    private final ChunkOperations store;
    private final ScrubberOptions options;
    private final ScrubListener listener;
    private final Clock clock;
    private final String name;
    /** Guards {@link #current} and wakes waits when a run is stopped. */
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition stopped = lock.newCondition();
    /** One pass at a time, whether background or {@link #runPass()}. */
    private final ReentrantLock passLock = new ReentrantLock();
    private final AtomicLong passesCompleted = new AtomicLong();
    private volatile ScrubReport lastReport;
    private Run current;

    /** One start-to-stop span of the background thread. */
    private static final class Run {
        volatile boolean stopping;
        Thread thread;
    }

    /** A run that is never stopped, for passes on the caller's thread. */
    private static final Run FOREGROUND = new Run();

    public Scrubber(ChunkOperations store, ScrubberOptions options, ScrubListener listener) {
        this(store, options, listener, Clock.systemUTC(), "chunks");
    }

    /** @param name for the thread and log lines, e.g. the disk's name */
    public Scrubber(ChunkOperations store, ScrubberOptions options, ScrubListener listener, Clock clock,
            String name) {
        this.store = Objects.requireNonNull(store, "store");
        this.options = Objects.requireNonNull(options, "options");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.name = Objects.requireNonNull(name, "name");
    }

    public ScrubberOptions options() {
        return options;
    }

    /** Starts background passes, the first at once. Does nothing if already running. */
    public void start() {
        lock.lock();
        try {
            if (current != null) {
                return;
            }
            Run run = new Run();
            run.thread = Thread.ofPlatform().daemon().name("scrubber-" + name).unstarted(() -> loop(run));
            current = run;
            run.thread.start();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops background passes and waits for the thread to end; a pass in progress is abandoned
     * after its current chunk and not reported. Does nothing if not running. May be called from
     * the listener, in which case it does not wait for itself.
     */
    public void stop() {
        Run run;
        lock.lock();
        try {
            run = current;
            if (run == null) {
                return;
            }
            current = null;
            run.stopping = true;
            stopped.signalAll();
        } finally {
            lock.unlock();
        }
        if (run.thread != Thread.currentThread()) {
            boolean interrupted = false;
            while (true) {
                try {
                    run.thread.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // finish waiting: callers rely on the thread being gone
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public boolean isRunning() {
        lock.lock();
        try {
            return current != null;
        } finally {
            lock.unlock();
        }
    }

    /** Passes completed since construction, background and foreground. */
    public long passesCompleted() {
        return passesCompleted.get();
    }

    /** The last completed pass, if any. */
    public Optional<ScrubReport> lastReport() {
        return Optional.ofNullable(lastReport);
    }

    /**
     * Runs one throttled pass on the caller's thread, after any pass in progress, and returns its
     * report (also the new {@link #lastReport()}).
     *
     * @throws ChunkException if the store cannot be used at all (closed, or unreachable)
     */
    public ScrubReport runPass() {
        return pass(FOREGROUND).orElseThrow();
    }

    @Override
    public void close() {
        stop();
    }

    private void loop(Run run) {
        log.info("scrubber {} started: {} bytes/s, every {}", name, options.bytesPerSecond(), options.interval());
        while (!run.stopping) {
            try {
                pass(run);
            } catch (RuntimeException e) { // ChunkException from list(), or a bug: try again next time
                log.warn("scrub pass of {} failed, next one in {}: {}", name, options.interval(), e.toString());
            }
            pause(run, options.interval().toNanos());
        }
        log.info("scrubber {} stopped", name);
    }

    /** Empty if the run was stopped before the pass finished. */
    private Optional<ScrubReport> pass(Run run) {
        passLock.lock();
        try {
            Instant started = clock.instant();
            long burst = Math.max(4096, options.bytesPerSecond() / BURST_SECONDS_DIVISOR);
            TokenBucket bucket = new TokenBucket(options.bytesPerSecond(), burst, System.nanoTime());
            Map<ChunkId, List<Integer>> bad = new HashMap<>();
            Map<ChunkId, String> failed = new HashMap<>();
            long chunks = 0;
            long bytes = 0;
            for (ChunkInfo info : store.list()) {
                if (run.stopping) {
                    return Optional.empty();
                }
                try {
                    List<Integer> blocks = store.scrub(info.id());
                    chunks++;
                    bytes += info.allocatedBytes();
                    if (!blocks.isEmpty()) {
                        bad.put(info.id(), blocks);
                        log.warn("scrub of {}: chunk {} has {} bad blocks {}", name, info.id(), blocks.size(), blocks);
                        tell(() -> listener.badChunk(info.id(), List.copyOf(blocks)));
                    }
                } catch (ChunkNotFoundException e) {
                    continue; // deleted since the listing: nothing to verify, nothing to charge
                } catch (ChunkException e) {
                    // A closed store or a lost connection fails every chunk: end the pass (stat
                    // throws) rather than send every chunk of the disk off for repair.
                    store.stat(info.id());
                    failed.put(info.id(), e.getMessage());
                    log.warn("scrub of {}: chunk {} failed: {}", name, info.id(), e.getMessage());
                    tell(() -> listener.chunkFailed(info.id(), e));
                }
                pause(run, bucket.take(info.allocatedBytes(), System.nanoTime()));
            }
            if (run.stopping) {
                return Optional.empty();
            }
            Instant now = clock.instant();
            Instant finished = now.isBefore(started) ? started : now; // the wall clock may have been set back
            ScrubReport report = new ScrubReport(passesCompleted.incrementAndGet(), started, finished, chunks, bytes,
                    bad, failed);
            lastReport = report;
            log.info("scrub pass {} of {}: {} chunks, {} bytes in {}, {} bad blocks in {} chunks, {} chunks failed",
                    report.passesCompleted(), name, chunks, bytes, Duration.between(started, report.finished()),
                    report.badBlockCount(), bad.size(), failed.size());
            tell(() -> listener.passCompleted(report));
            return Optional.of(report);
        } finally {
            passLock.unlock();
        }
    }

    private void tell(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            log.warn("scrub listener of {} failed", name, e);
        }
    }

    /** Waits up to {@code nanos}, returning early once the run is stopped. */
    private void pause(Run run, long nanos) {
        if (nanos <= 0) {
            return;
        }
        lock.lock();
        try {
            long left = nanos;
            while (left > 0 && !run.stopping) {
                left = stopped.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }
}
