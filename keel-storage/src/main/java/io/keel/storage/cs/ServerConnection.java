package io.keel.storage.cs;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection. A reader reads frames in order and starts each request on its own
 * virtual thread, so pipelined requests run concurrently (a slow fsync does not hold up a read)
 * and replies go back as they finish, tagged with the request id.
 *
 * <p>Requests in flight are bounded by bytes (frames plus read payloads), per connection and
 * across the server; when a budget is used up the reader stops reading, and TCP flow control
 * pushes back on the client. This bounds the direct memory a busy server uses.
 */
final class ServerConnection {
    private static final Logger log = LoggerFactory.getLogger(ServerConnection.class);
    static final int INFLIGHT_BUDGET_BYTES = 64 << 20;
    private static final int MIN_REQUEST_COST = 16 << 10;
    private static final int INLINE_WRITE_BYTES = 128 << 10;

    private final SocketChannel channel;
    private final SocketAddress peer;
    private final FrameCodec codec;
    private final BufferPool pool;
    private final RequestHandler handler;
    private final ExecutorService executor;
    private final Semaphore inflight = new Semaphore(INFLIGHT_BUDGET_BYTES);
    private final Semaphore serverInflight;
    private final FrameSender sender;

    ServerConnection(SocketChannel channel, FrameCodec codec, BufferPool pool, RequestHandler handler,
            ExecutorService executor, Semaphore serverInflight) throws IOException {
        this.channel = channel;
        this.peer = channel.getRemoteAddress();
        this.codec = codec;
        this.pool = pool;
        this.handler = handler;
        this.executor = executor;
        this.serverInflight = serverInflight;
        this.sender = new FrameSender(channel, e -> {
            log.debug("cannot reply to {}: {}", peer, e.toString());
            close();
        });
    }

    void run() {
        FrameReader frames = new FrameReader(channel, pool);
        boolean drain = false;
        try {
            while (true) {
                ByteBuffer frame = frames.next(codec);
                if (frame == null) {
                    drain = true; // client finished sending; answer what it already sent
                    return;
                }
                Message m;
                try {
                    m = codec.decode(frame.duplicate());
                } catch (ProtocolException e) {
                    pool.release(frame);
                    throw e;
                }
                if (!(m instanceof Request request)) {
                    pool.release(frame);
                    throw new ProtocolException("client sent a reply frame (" + Opcode.of(m) + ")");
                }
                int cost = cost(frame, request);
                acquire(cost);
                if (servedInline(request)) {
                    serve(request, frame, cost, true);
                    if (!frames.frameReady()) {
                        sender.flush(); // the replies of a burst leave together, before the next read blocks
                    }
                    continue;
                }
                try {
                    executor.execute(() -> serve(request, frame, cost, false));
                } catch (RejectedExecutionException e) {
                    serverInflight.release(cost);
                    inflight.release(cost);
                    pool.release(frame);
                    return; // server shutting down
                }
            }
        } catch (ProtocolException e) {
            log.warn("closing connection from {}: {}", peer, e.getMessage());
        } catch (IOException e) {
            if (channel.isOpen()) {
                log.debug("connection from {} failed: {}", peer, e.toString());
            }
        } finally {
            sender.flush();
            if (drain) {
                inflight.acquireUninterruptibly(INFLIGHT_BUDGET_BYTES);
                inflight.release(INFLIGHT_BUDGET_BYTES);
            }
            close();
        }
    }

    /**
     * Takes the request's share of the connection's budget, then of the server's (always in
     * that order: no cycles). Before waiting for either, the replies queued here are sent, as
     * they hold budget that only their sending gives back.
     */
    private void acquire(int cost) {
        if (!inflight.tryAcquire(cost)) {
            sender.flush();
            inflight.acquireUninterruptibly(cost);
        }
        if (!serverInflight.tryAcquire(cost)) {
            sender.flush();
            serverInflight.acquireUninterruptibly(cost);
        }
    }

    private static int cost(ByteBuffer frame, Request request) {
        long bytes = frame.remaining() + (request instanceof Request.Read r ? r.length() : 0);
        return Math.clamp(bytes, MIN_REQUEST_COST, INFLIGHT_BUDGET_BYTES);
    }

    /**
     * Small writes and trims that need no fsync only touch the page cache: this thread applies
     * them in order, which costs less than starting a thread for each, and their replies are
     * batched. Everything that may wait on a disk (reads, durable writes, flushes) runs on its
     * own thread so it does not hold up the requests behind it.
     */
    private static boolean servedInline(Request request) {
        return switch (request) {
            case Request.Write w -> !w.durable() && w.data().remaining() <= INLINE_WRITE_BYTES;
            case Request.Trim t -> true;
            default -> false;
        };
    }

    private void serve(Request request, ByteBuffer frame, int cost, boolean batched) {
        RequestHandler.Outcome outcome = null;
        try {
            outcome = handler.handle(request);
        } finally {
            ByteBuffer pooled = outcome == null ? null : outcome.pooled();
            // The request's payload lives in the frame buffer and a read's reply in the pooled
            // one, so both go back only once the reply has left.
            Runnable release = () -> {
                pool.release(frame);
                pool.release(pooled);
                serverInflight.release(cost);
                inflight.release(cost);
            };
            if (outcome == null) {
                release.run();
            } else {
                if (batched) {
                    sender.enqueue(codec.encode(outcome.reply()), release);
                } else {
                    sender.send(codec.encode(outcome.reply()), release);
                }
            }
        }
    }

    void close() {
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("closing connection from {} failed", peer, e);
        }
    }
}
