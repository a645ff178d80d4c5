package io.keel.block.nbd;

import static io.keel.block.nbd.NbdConstants.*;

import io.keel.block.BlockDevice;
import io.keel.block.BlockIoException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transmission phase of one connection. This thread reads and validates requests in order and
 * receives write payloads; each accepted request then runs on its own virtual thread, so a slow
 * device operation does not hold up the ones pipelined behind it. Writes without FUA of at most
 * {@link #INLINE_WRITE_MAX} are the exception when the device can start them without waiting
 * ({@link BlockDevice#writeAsync}): this thread starts them and the device's completion sends the
 * reply, saving two thread hand-offs per write (ADR 0013, "writes started inline"). Replies go out
 * as requests finish, in any order, each carrying its request's cookie.
 *
 * <p>Ordering rule: a flush waits for every write, trim and write-zeroes received before it to finish
 * on the device and have its reply queued, then flushes (see {@link WriteBarrier}), so their replies
 * reach the client before the flush's. Other requests are not ordered against
 * each other, as the protocol allows; clients that care wait for a reply before sending a dependent
 * request.
 *
 * <p>Errors: bad flags or unknown commands get EINVAL; writes to a read-only export get EPERM; reads
 * and trims beyond the end get EINVAL and writes beyond it ENOSPC, as the spec recommends; a read
 * longer than the maximum gets EINVAL. A write longer than the maximum, a bad magic, or a truncated
 * frame end the connection.
 */
final class Transmission {
    private static final Logger log = LoggerFactory.getLogger(Transmission.class);
    private static final int ZERO_CHUNK = 1 << 20;
    /**
     * Writes up to this size, without FUA, are started by the reader itself when the device can
     * start them without waiting ({@link BlockDevice#writeAsync}); larger ones, FUA writes and
     * devices that cannot still get a thread each.
     */
    static final int INLINE_WRITE_MAX = 1 << 20;

    private final InputBuffer in;
    private final ReplyWriter replies;
    private final BlockDevice device;
    private final long size;
    private final boolean readOnly;
    private final NbdServerOptions options;
    private final String who;
    private final BufferPool pool;
    private final Semaphore inflightBytes;
    private final Semaphore inflightRequests;
    private final WriteBarrier barrier = new WriteBarrier();
    private ByteBuffer zeroes;
    /** The thread running {@link #serve}; replies completed on it are queued, not written. */
    private volatile Thread reader;
    /** Reader-only: set when it queued replies that no other thread has been asked to send yet. */
    private boolean queuedByReader;
    /** Reader-only: set when writes it started may have left requests queued in the device. */
    private boolean heldSends;
    /** The request threads; set once by {@link #run} before serving. */
    private ExecutorService workers;

    Transmission(InputBuffer in, ReplyWriter replies, BlockDevice device, NbdServerOptions options,
            BufferPool pool, String who) {
        this.in = in;
        this.replies = replies;
        this.device = device;
        this.size = device.size();
        this.readOnly = device.readOnly();
        this.options = options;
        this.pool = pool;
        this.who = who;
        this.inflightBytes = new Semaphore(options.maxInflightBytes());
        this.inflightRequests = new Semaphore(options.maxInflightRequests());
    }

    /**
     * Serves requests until the client disconnects. Returns normally after NBD_CMD_DISC or a clean end
     * of stream, once every accepted request has finished and been answered.
     */
    void run(Runnable abort) throws IOException {
        boolean clean = false;
        try (ExecutorService tasks = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("nbd-" + who + "-req").factory())) {
            try {
                reader = Thread.currentThread();
                workers = tasks;
                serve(tasks);
                clean = true;
            } finally {
                if (!clean) {
                    // Hard disconnect: pending replies fail fast instead of waiting on the client.
                    abort.run();
                }
                // Writes started inline finish on other threads: the device must not be closed
                // (and its lease given up) under them.
                device.sendHeld();
                barrier.awaitThrough(barrier.lastRegistered());
                replies.drainQueued();
            }
        }
    }

    private void serve(ExecutorService tasks) throws IOException {
        while (true) {
            if (in.buffer().remaining() < REQUEST_HEADER_SIZE) {
                handOffQueued(tasks);
            }
            if (!in.fill(REQUEST_HEADER_SIZE, true)) {
                return;
            }
            NbdCommand cmd = RequestCodec.decodeRequest(in.buffer());
            switch (cmd) {
                case NbdCommand.Disconnect d -> {
                    log.debug("nbd {}: NBD_CMD_DISC", who);
                    return;
                }
                case NbdCommand.Read r -> read(r, tasks);
                case NbdCommand.Write w -> write(w, tasks);
                case NbdCommand.Flush f -> flush(f, tasks);
                case NbdCommand.Trim t -> mutate(t, tasks);
                case NbdCommand.WriteZeroes z -> mutate(z, tasks);
                case NbdCommand.Unknown u -> fail(u, NBD_EINVAL, tasks);
            }
        }
    }

    private void read(NbdCommand.Read r, ExecutorService tasks) throws IOException {
        int error = validate(r);
        if (error == 0 && r.length() > options.maxRequestLength()) {
            error = NBD_EINVAL;
        }
        if (error != 0) {
            fail(r, error, tasks);
            return;
        }
        int length = (int) r.length();
        ByteBuffer buf = acquire(length);
        tasks.execute(() -> {
            int err = run(r, () -> device.read(r.offset(), buf));
            if (err == 0 && buf.hasRemaining()) {
                // A short simple reply would desynchronise the client's stream; refuse the read instead.
                log.warn("nbd {}: device returned {} of {} bytes for {}", who, buf.position(), length, r);
                err = NBD_EIO;
            }
            replies.send(r.cookie(), err, buf.flip(), () -> release(buf, length));
        });
    }

    private void write(NbdCommand.Write w, ExecutorService tasks) throws IOException {
        if (w.length() > options.maxRequestLength()) {
            throw new NbdProtocolException("write of " + w.length() + " bytes exceeds maximum "
                    + options.maxRequestLength());
        }
        int error = validate(w);
        if (error != 0) {
            in.skip(w.length());
            fail(w, error, tasks);
            return;
        }
        int length = (int) w.length();
        ByteBuffer buf = acquire(length);
        try {
            in.readFully(buf);
        } catch (IOException | RuntimeException e) {
            release(buf, length);
            throw e;
        }
        buf.flip();
        long seq = barrier.register();
        if (!w.fua() && length <= INLINE_WRITE_MAX && startInline(w, buf, length, seq)) {
            return;
        }
        tasks.execute(() -> {
            int err = run(w, () -> device.write(w.offset(), buf, w.fua()));
            // Queued before the barrier opens, so a flush received later always answers after it.
            replies.send(w.cookie(), err, null, () -> release(buf, length));
            barrier.complete(seq);
        });
    }

    /**
     * Starts a write on this thread (ADR 0013, "writes started inline"); false if the device
     * cannot, and nothing was started. The reply is sent by whichever thread completes the write;
     * on this thread it is only queued (see {@link ReplyWriter#queue}).
     */
    private boolean startInline(NbdCommand.Write w, ByteBuffer buf, int length, long seq) {
        CompletableFuture<Void> started;
        try {
            started = device.writeAsync(w.offset(), buf, true);
            heldSends = true;
        } catch (BlockIoException | RuntimeException e) {
            started = CompletableFuture.failedFuture(e);
        }
        if (started == null) {
            return false;
        }
        started.whenComplete((v, failure) -> {
            int err = failure == null ? 0 : errno(w, failure);
            if (Thread.currentThread() == reader) {
                replies.queue(w.cookie(), err, () -> release(buf, length));
                queuedByReader = true;
            } else {
                replies.send(w.cookie(), err, null, () -> release(buf, length));
            }
            // Queued before the barrier opens, so a flush received later always answers after it.
            barrier.complete(seq);
        });
        return true;
    }

    /**
     * Before the reader waits (for the client or for budget): the device sends the requests the
     * writes it started left queued (one system call per replica for the whole burst), and replies
     * the reader queued go out from another thread: writing them itself could block on a client
     * that is busy sending, and the replies are what the client (and the budget) wait for.
     */
    private void handOffQueued(ExecutorService tasks) {
        if (heldSends) {
            heldSends = false;
            device.sendHeld();
        }
        if (queuedByReader) {
            queuedByReader = false;
            if (replies.hasQueued()) {
                tasks.execute(replies::drainQueued);
            }
        }
    }

    private int errno(NbdCommand cmd, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof BlockIoException e) {
            log.debug("nbd {}: {} failed: {} {}", who, cmd, e.kind(), e.getMessage());
            return RequestCodec.errno(e.kind());
        }
        log.warn("nbd {}: {} failed unexpectedly: {}", who, cmd, cause.toString());
        return NBD_EIO;
    }

    private void flush(NbdCommand.Flush f, ExecutorService tasks) {
        int error = validate(f);
        if (error != 0) {
            fail(f, error, tasks);
            return;
        }
        long through = barrier.lastRegistered();
        takeRequest();
        tasks.execute(() -> {
            barrier.awaitThrough(through);
            int err = run(f, device::flush);
            replies.send(f.cookie(), err, null, inflightRequests::release);
        });
    }

    /** Trim and write-zeroes: write-like, no payload. */
    private void mutate(NbdCommand cmd, ExecutorService tasks) {
        int error = validate(cmd);
        if (error != 0) {
            fail(cmd, error, tasks);
            return;
        }
        long seq = barrier.register();
        takeRequest();
        tasks.execute(() -> {
            int err = run(cmd, () -> {
                switch (cmd) {
                    case NbdCommand.Trim t -> {
                        device.trim(t.offset(), t.length());
                        if (t.fua()) {
                            device.flush();
                        }
                    }
                    case NbdCommand.WriteZeroes z when z.noHole() -> writeZeroBuffers(z);
                    case NbdCommand.WriteZeroes z -> device.writeZeroes(z.offset(), z.length(), z.fua());
                    default -> throw new IllegalStateException("not a payload-free write: " + cmd);
                }
            });
            replies.send(cmd.cookie(), err, null, inflightRequests::release);
            barrier.complete(seq);
        });
    }

    /** NO_HOLE forbids deallocating, and only {@link BlockDevice#write} promises to allocate. */
    private void writeZeroBuffers(NbdCommand.WriteZeroes z) throws BlockIoException {
        ByteBuffer zero = zeroBuffer();
        long pos = z.offset();
        long end = z.offset() + z.length();
        while (pos < end) {
            ByteBuffer chunk = zero.duplicate().limit((int) Math.min(ZERO_CHUNK, end - pos));
            device.write(pos, chunk, false);
            pos += chunk.limit();
        }
        if (z.fua()) {
            device.flush();
        }
    }

    private synchronized ByteBuffer zeroBuffer() {
        if (zeroes == null) {
            zeroes = ByteBuffer.allocateDirect(ZERO_CHUNK).asReadOnlyBuffer();
        }
        return zeroes;
    }

    /** The NBD error for a request that must not reach the device, or 0. */
    private int validate(NbdCommand cmd) {
        int allowed = NBD_CMD_FLAG_FUA | (cmd instanceof NbdCommand.WriteZeroes ? NBD_CMD_FLAG_NO_HOLE : 0);
        if ((cmd.flags() & ~allowed) != 0) {
            return NBD_EINVAL;
        }
        boolean writes = cmd instanceof NbdCommand.Write || cmd instanceof NbdCommand.WriteZeroes;
        if (readOnly && (writes || cmd instanceof NbdCommand.Trim)) {
            return NBD_EPERM;
        }
        if (cmd instanceof NbdCommand.Flush) {
            return 0;
        }
        long offset = cmd.offset();
        if (offset < 0 || offset > size || cmd.length() > size - offset) {
            return writes ? NBD_ENOSPC : NBD_EINVAL;
        }
        return 0;
    }

    /**
     * Answers a request refused before reaching the device. The reply goes out from a request thread
     * like any other: if this reader wrote to the socket itself it could block there while the client
     * is still busy sending, and neither side would read.
     */
    private void fail(NbdCommand cmd, int error, ExecutorService tasks) {
        log.debug("nbd {}: {} -> error {}", who, cmd, error);
        takeRequest();
        tasks.execute(() -> replies.send(cmd.cookie(), error, null, inflightRequests::release));
    }

    private ByteBuffer acquire(int length) {
        takeRequest();
        if (!inflightBytes.tryAcquire(length)) {
            handOffQueued(workers);
            inflightBytes.acquireUninterruptibly(length);
        }
        return pool.acquire(length);
    }

    /** A place in the in-flight budget; replies the reader queued go out first if it must wait. */
    private void takeRequest() {
        if (!inflightRequests.tryAcquire()) {
            handOffQueued(workers);
            inflightRequests.acquireUninterruptibly();
        }
    }

    private void release(ByteBuffer buf, int length) {
        pool.release(buf);
        inflightBytes.release(length);
        inflightRequests.release();
    }

    @FunctionalInterface
    private interface DeviceOp {
        void run() throws BlockIoException;
    }

    /** Runs a device operation and turns its outcome into an NBD error value. */
    private int run(NbdCommand cmd, DeviceOp op) {
        try {
            op.run();
            return 0;
        } catch (BlockIoException e) {
            log.debug("nbd {}: {} failed: {} {}", who, cmd, e.kind(), e.getMessage());
            return RequestCodec.errno(e.kind());
        } catch (RuntimeException e) {
            log.warn("nbd {}: {} failed unexpectedly: {}", who, cmd, e.toString());
            return NBD_EIO;
        }
    }
}
