package io.keel.storage.cs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Sends encoded frames from many threads over one channel. Frames are queued; whichever thread
 * gets the lock writes everything queued so far in one gathering write. Under a deep queue this
 * turns a syscall and a TCP segment per frame into one per burst, which on loopback is most of
 * what a small request costs; no thread waits behind another's socket write.
 *
 * <p>After a write fails, nothing more is written: {@code onFailure} runs once and later frames
 * are dropped. Every frame's {@code done} callback runs exactly once, written or dropped, so
 * buffers it releases are never written after their release.
 */
final class FrameSender {
    private static final int BATCH = 64;

    private record Pending(ByteBuffer[] bufs, Runnable done) {}

    private final GatheringByteChannel channel;
    private final Consumer<IOException> onFailure;
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock lock = new ReentrantLock();
    // Guarded by lock.
    private final Pending[] batch = new Pending[BATCH];
    private ByteBuffer[] iov = new ByteBuffer[BATCH * 2];
    private boolean failed; // guarded by lock

    FrameSender(GatheringByteChannel channel, Consumer<IOException> onFailure) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
    }

    /**
     * Queues a frame (the buffers {@link FrameCodec#encode} returned), to be written by this or
     * another sending thread. The buffers must stay untouched until {@code done} runs; it may be
     * null.
     */
    void send(ByteBuffer[] bufs, Runnable done) {
        enqueue(bufs, done);
        flush();
    }

    /** Queues a frame as {@link #send} does, but leaves it for a later {@link #flush} or send. */
    void enqueue(ByteBuffer[] bufs, Runnable done) {
        queue.add(new Pending(bufs, done));
    }

    /** Writes everything queued, here or by the thread that is writing already. */
    void flush() {
        // The lock holder re-checks the queue after unlocking, so nothing queued is stranded.
        while (!queue.isEmpty() && lock.tryLock()) {
            try {
                drain();
            } finally {
                lock.unlock();
            }
        }
    }

    private void drain() {
        while (true) {
            int n = 0;
            int buffers = 0;
            Pending p;
            while (n < BATCH && (p = queue.poll()) != null) {
                batch[n++] = p;
                buffers += p.bufs().length;
            }
            if (n == 0) {
                return;
            }
            if (!failed) {
                try {
                    write(n, buffers);
                } catch (IOException e) {
                    failed = true;
                    onFailure.accept(e);
                }
            }
            for (int i = 0; i < n; i++) {
                Runnable done = batch[i].done();
                batch[i] = null;
                if (done != null) {
                    done.run();
                }
            }
        }
    }

    private void write(int n, int buffers) throws IOException {
        if (iov.length < buffers) {
            iov = new ByteBuffer[buffers];
        }
        int k = 0;
        for (int i = 0; i < n; i++) {
            for (ByteBuffer b : batch[i].bufs()) {
                if (b.hasRemaining()) {
                    iov[k++] = b;
                }
            }
        }
        try {
            int start = 0;
            while (start < k) {
                channel.write(iov, start, k - start);
                while (start < k && !iov[start].hasRemaining()) {
                    start++;
                }
            }
        } finally {
            Arrays.fill(iov, 0, k, null);
        }
    }
}
