package io.keel.block.nbd;

import static io.keel.block.nbd.NbdConstants.SIMPLE_REPLY_HEADER_SIZE;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Sends simple replies from many request threads over one channel. Replies are queued; whichever
 * thread gets the lock writes everything queued so far (headers and read data) in one gathering
 * write, so a burst of completions costs one syscall and no thread waits behind another's socket
 * write. Every queued reply's completion callback runs exactly once, written or not.
 */
final class ReplyWriter {
    private static final int BATCH = 64;

    private record Pending(long cookie, int error, ByteBuffer data, Runnable done) {}

    private final GatheringByteChannel channel;
    private final Consumer<IOException> onFailure;
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock lock = new ReentrantLock();
    // Guarded by lock.
    private final ByteBuffer headers = ByteBuffer.allocateDirect(BATCH * SIMPLE_REPLY_HEADER_SIZE);
    private final ByteBuffer[] iov = new ByteBuffer[BATCH * 2];
    private final Pending[] batch = new Pending[BATCH];
    private volatile boolean failed;

    ReplyWriter(GatheringByteChannel channel, Consumer<IOException> onFailure) {
        this.channel = channel;
        this.onFailure = onFailure;
    }

    /**
     * Queues a reply. {@code data} (read payload, sent only when {@code error} is 0) must stay untouched
     * until {@code done} runs; {@code done} may be null.
     */
    void send(long cookie, int error, ByteBuffer data, Runnable done) {
        queue.add(new Pending(cookie, error, error == 0 ? data : null, done));
        // Whoever holds the lock re-checks the queue after unlocking, so nothing queued is stranded.
        drainQueued();
    }

    /**
     * Queues a reply without writing it: for the connection's reader, which must not block on the
     * socket while the client may be blocked sending to it. Whoever sends next takes it along;
     * the reader hands {@link #drain} to another thread before it waits for anything.
     */
    void queue(long cookie, int error, Runnable done) {
        queue.add(new Pending(cookie, error, null, done));
    }

    boolean hasQueued() {
        return !queue.isEmpty();
    }

    /** Writes whatever is queued, unless another thread is already at it (it re-checks the queue). */
    void drainQueued() {
        while (!queue.isEmpty() && lock.tryLock()) {
            try {
                drain();
            } finally {
                lock.unlock();
            }
        }
    }

    boolean failed() {
        return failed;
    }

    private void drain() {
        while (true) {
            int n = 0;
            Pending p;
            while (n < BATCH && (p = queue.poll()) != null) {
                batch[n++] = p;
            }
            if (n == 0) {
                return;
            }
            if (!failed) {
                try {
                    write(n);
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

    private void write(int n) throws IOException {
        int k = 0;
        for (int i = 0; i < n; i++) {
            Pending p = batch[i];
            ByteBuffer h = headers.slice(i * SIMPLE_REPLY_HEADER_SIZE, SIMPLE_REPLY_HEADER_SIZE);
            RequestCodec.encodeSimpleReply(p.error(), p.cookie(), h).flip();
            iov[k++] = h;
            if (p.data() != null && p.data().hasRemaining()) {
                iov[k++] = p.data();
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
