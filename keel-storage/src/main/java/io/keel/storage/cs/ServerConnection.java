package io.keel.storage.cs;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;
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

    private final SocketChannel channel;
    private final SocketAddress peer;
    private final FrameCodec codec;
    private final BufferPool pool;
    private final RequestHandler handler;
    private final ExecutorService executor;
    private final Semaphore inflight = new Semaphore(INFLIGHT_BUDGET_BYTES);
    private final Semaphore serverInflight;
    private final ReentrantLock sendLock = new ReentrantLock();

    ServerConnection(SocketChannel channel, FrameCodec codec, BufferPool pool, RequestHandler handler,
            ExecutorService executor, Semaphore serverInflight) throws IOException {
        this.channel = channel;
        this.peer = channel.getRemoteAddress();
        this.codec = codec;
        this.pool = pool;
        this.handler = handler;
        this.executor = executor;
        this.serverInflight = serverInflight;
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
                inflight.acquireUninterruptibly(cost);
                serverInflight.acquireUninterruptibly(cost); // always after the connection's: no cycles
                try {
                    executor.execute(() -> serve(request, frame, cost));
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
            if (drain) {
                inflight.acquireUninterruptibly(INFLIGHT_BUDGET_BYTES);
                inflight.release(INFLIGHT_BUDGET_BYTES);
            }
            close();
        }
    }

    private static int cost(ByteBuffer frame, Request request) {
        long bytes = frame.remaining() + (request instanceof Request.Read r ? r.length() : 0);
        return Math.clamp(bytes, MIN_REQUEST_COST, INFLIGHT_BUDGET_BYTES);
    }

    private void serve(Request request, ByteBuffer frame, int cost) {
        RequestHandler.Outcome outcome = null;
        try {
            outcome = handler.handle(request);
            send(outcome.reply());
        } catch (IOException e) {
            log.debug("cannot reply to {}: {}", peer, e.toString());
            close();
        } finally {
            // The request's payload lives in the frame buffer, so it is released only now.
            pool.release(frame);
            if (outcome != null) {
                pool.release(outcome.pooled());
            }
            serverInflight.release(cost);
            inflight.release(cost);
        }
    }

    private void send(Reply reply) throws IOException {
        ByteBuffer[] bufs = codec.encode(reply);
        ByteBuffer last = bufs[bufs.length - 1];
        sendLock.lock();
        try {
            while (last.hasRemaining()) {
                channel.write(bufs);
            }
        } finally {
            sendLock.unlock();
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
