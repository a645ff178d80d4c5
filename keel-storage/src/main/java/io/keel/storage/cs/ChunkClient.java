package io.keel.storage.cs;

import io.keel.storage.chunk.ChunkException;
import io.keel.storage.chunk.ChunkIOException;
import io.keel.storage.chunk.ChunkId;
import io.keel.storage.chunk.ChunkInfo;
import io.keel.storage.chunk.ChunkOperations;
import io.keel.storage.chunk.Extent;
import io.keel.storage.chunk.InvalidRequestException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A chunk service reached over one TCP connection. Thread-safe: concurrent calls are pipelined on
 * the connection and matched to their replies by request id, so many threads can keep I/O in
 * flight at once. Errors from the service are rethrown as the same {@link ChunkException} types
 * the store raised; a lost connection, a timeout or a protocol violation closes the client and
 * fails every call with {@link ChunkIOException}. There is no reconnection: make a new client.
 */
public final class ChunkClient implements ChunkOperations {
    private static final Logger log = LoggerFactory.getLogger(ChunkClient.class);
    private static final int HANDSHAKE_MAX_PAYLOAD = 64 << 10;
    /** Replies to LIST can exceed a chunk; this bounds them instead (~690k chunks). */
    private static final int MIN_REPLY_PAYLOAD = 64 << 20;
    /**
     * Idle reply buffers kept per connection. A node holds one connection per remote disk, and
     * erasure-coded volumes use every disk, so what all of them keep idle must stay well inside
     * the JVM's direct memory (its heap size by default): 32 MiB each exhausted a 256 MiB node
     * talking to eight disks.
     */
    private static final long POOL_RETAINED_BYTES = 8L << 20;
    private static final Duration WATCHDOG_PERIOD = Duration.ofMillis(100);

    /** A reply and the pooled frame buffer its payload lives in. */
    private record Received(Reply reply, ByteBuffer frame) {}

    /** A call waiting for its reply, and when it stops waiting. */
    private record Waiting(Request request, CompletableFuture<Received> reply, long deadlineNanos, Duration timeout) {}

    private final InetSocketAddress address;
    private final ChunkClientOptions options;
    private final SocketChannel channel;
    private final BufferPool pool = new BufferPool(POOL_RETAINED_BYTES);
    private final FrameCodec sendCodec = new FrameCodec(0);
    private final FrameSender sender;
    private final ConcurrentHashMap<Long, Waiting> pending = new ConcurrentHashMap<>();
    private final AtomicLong nextRequestId = new AtomicLong(1);
    private final AtomicReference<ChunkIOException> closedBy = new AtomicReference<>();
    private final Thread reader;
    private final Thread watchdog;
    private volatile FrameCodec replyCodec = new FrameCodec(HANDSHAKE_MAX_PAYLOAD);
    private volatile int chunkSize;

    private ChunkClient(InetSocketAddress address, ChunkClientOptions options, SocketChannel channel) {
        this.address = address;
        this.options = options;
        this.channel = channel;
        // A platform thread, like the server's readers (see ChunkServer): it wakes for every burst of replies.
        this.reader = Thread.ofPlatform().daemon().name("chunk-client-" + address).unstarted(this::readLoop);
        this.watchdog = Thread.ofVirtual().name("chunk-client-timeouts-" + address).unstarted(this::watchTimeouts);
        this.sender = new FrameSender(channel, e -> fail(new ChunkIOException("sending to " + address + " failed: " + e, e)));
    }

    public static ChunkClient connect(InetSocketAddress address) {
        return connect(address, ChunkClientOptions.defaults());
    }

    /**
     * Connects and does the protocol handshake.
     *
     * @throws ChunkIOException if the service cannot be reached or speaks another protocol version
     */
    public static ChunkClient connect(InetSocketAddress address, ChunkClientOptions options) {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(options, "options");
        SocketChannel ch;
        try {
            ch = SocketChannel.open();
        } catch (IOException e) {
            throw new ChunkIOException("cannot open a socket: " + e, e);
        }
        try {
            ch.socket().connect(address, (int) Math.min(Integer.MAX_VALUE, options.connectTimeout().toMillis()));
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        } catch (IOException e) {
            try {
                ch.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new ChunkIOException("cannot connect to chunk service at " + address + ": " + e, e);
        }
        ChunkClient client = new ChunkClient(address, options, ch);
        client.reader.start();
        client.watchdog.start();
        try {
            Reply.HelloReply hello = client.call(
                    new Request.Hello(client.newId(), FrameCodec.PROTOCOL_VERSION), options.connectTimeout(),
                    r -> r instanceof Reply.HelloReply h ? h : client.unexpected(r));
            if (hello.protocolVersion() != FrameCodec.PROTOCOL_VERSION || hello.chunkSize() <= 0) {
                throw new ChunkIOException("chunk service at " + address + " speaks protocol "
                        + hello.protocolVersion() + " with chunk size " + hello.chunkSize() + "; this client speaks "
                        + FrameCodec.PROTOCOL_VERSION);
            }
            client.chunkSize = hello.chunkSize();
            return client;
        } catch (ChunkException e) {
            client.close();
            throw e;
        }
    }

    public InetSocketAddress address() {
        return address;
    }

    @Override
    public int chunkSize() {
        return chunkSize;
    }

    @Override
    public void create(ChunkId id, long version) {
        Objects.requireNonNull(id, "id");
        call(new Request.Create(newId(), id, version), this::ok);
    }

    @Override
    public void delete(ChunkId id) {
        Objects.requireNonNull(id, "id");
        call(new Request.Delete(newId(), id), this::ok);
    }

    @Override
    public Optional<ChunkInfo> stat(ChunkId id) {
        Objects.requireNonNull(id, "id");
        return call(new Request.Stat(newId(), id), r -> r instanceof Reply.StatReply s ? s.info() : unexpected(r));
    }

    @Override
    public List<ChunkInfo> list() {
        return call(new Request.ListChunks(newId()), r -> r instanceof Reply.ListReply l ? l.chunks() : unexpected(r));
    }

    @Override
    public void write(ChunkId id, long offset, ByteBuffer data, long version, long epoch, boolean durable) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(data, "data");
        checkLength(data.remaining(), offset);
        call(new Request.Write(newId(), id, offset, version, epoch, durable, data), this::ok);
        data.position(data.limit());
    }

    @Override
    public CompletableFuture<Void> writeAsync(ChunkId id, long offset, ByteBuffer data, long version, long epoch,
            boolean durable) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(data, "data");
        checkLength(data.remaining(), offset);
        return start(new Request.Write(newId(), id, offset, version, epoch, durable, data.duplicate()), false);
    }

    @Override
    public CompletableFuture<Void> writeAsyncHeld(ChunkId id, long offset, ByteBuffer data, long version, long epoch) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(data, "data");
        checkLength(data.remaining(), offset);
        return start(new Request.Write(newId(), id, offset, version, epoch, false, data.duplicate()), true);
    }

    @Override
    public void sendHeld() {
        sender.flush();
    }

    @Override
    public CompletableFuture<Void> trimAsync(ChunkId id, long offset, long length, long version, long epoch) {
        Objects.requireNonNull(id, "id");
        return start(new Request.Trim(newId(), id, offset, length, version, epoch), false);
    }

    @Override
    public void trim(ChunkId id, long offset, long length, long version, long epoch) {
        Objects.requireNonNull(id, "id");
        call(new Request.Trim(newId(), id, offset, length, version, epoch), this::ok);
    }

    @Override
    public List<Extent> extents(ChunkId id) {
        Objects.requireNonNull(id, "id");
        return call(new Request.Extents(newId(), id),
                r -> r instanceof Reply.ExtentsReply e ? e.extents() : unexpected(r));
    }

    @Override
    public void read(ChunkId id, long offset, ByteBuffer dst) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(dst, "dst");
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("dst is read-only");
        }
        int len = dst.remaining();
        checkLength(len, offset);
        call(new Request.Read(newId(), id, offset, len), r -> {
            ByteBuffer data = r instanceof Reply.ReadReply rr ? rr.data() : unexpected(r);
            if (data.remaining() != len) {
                throw violation(new ProtocolException("read reply has " + data.remaining() + " bytes, asked for " + len));
            }
            return dst.put(data);
        });
    }

    @Override
    public void setVersion(ChunkId id, long newVersion) {
        Objects.requireNonNull(id, "id");
        call(new Request.SetVersion(newId(), id, newVersion), this::ok);
    }

    @Override
    public void flush() {
        call(new Request.Flush(newId()), this::ok);
    }

    @Override
    public List<Integer> scrub(ChunkId id) {
        Objects.requireNonNull(id, "id");
        return call(new Request.Scrub(newId(), id), r -> r instanceof Reply.ScrubReply s ? s.badBlocks() : unexpected(r));
    }

    @Override
    public long freeBytes() {
        return call(new Request.Space(newId()), r -> r instanceof Reply.SpaceReply s ? s.freeBytes() : unexpected(r));
    }

    @Override
    public long usedBytes() {
        return call(new Request.Space(newId()), r -> r instanceof Reply.SpaceReply s ? s.usedBytes() : unexpected(r));
    }

    /** Closes the connection; calls in progress fail with {@link ChunkIOException}. */
    @Override
    public void close() {
        fail(new ChunkIOException("client for " + address + " is closed"));
        try {
            reader.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean isClosed() {
        return closedBy.get() != null;
    }

    /** Larger payloads than a chunk would make the server drop the connection; refuse them here. */
    private void checkLength(int len, long offset) {
        if (len > chunkSize) {
            throw new InvalidRequestException("range of " + len + " bytes at offset " + offset
                    + " is outside the chunk of " + chunkSize + " bytes");
        }
    }

    private long newId() {
        return nextRequestId.getAndIncrement();
    }

    private <T> T call(Request request, Function<Reply, T> onReply) {
        return call(request, options.ioTimeout(), onReply);
    }

    private <T> T call(Request request, Duration timeout, Function<Reply, T> onReply) {
        long id = request.requestId();
        CompletableFuture<Received> reply = new CompletableFuture<>();
        // The deadline runs from now, so it also covers a send stuck on a peer that stopped
        // reading: the watchdog closes the channel, which releases the blocked write.
        pending.put(id, new Waiting(request, reply, System.nanoTime() + timeout.toNanos(), timeout));
        try {
            // fail() sets closedBy before draining pending: either it saw our entry or we see it closed.
            ChunkIOException closed = closedBy.get();
            if (closed != null) {
                throw new ChunkIOException(closed.getMessage(), closed);
            }
            sender.send(sendCodec.encode(request), null);
            Received received = await(reply, request);
            try {
                if (received.reply() instanceof Reply.Failure f) {
                    ChunkException e = f.error();
                    e.fillInStackTrace(); // point at the caller, not at the reader thread that decoded it
                    throw e;
                }
                return onReply.apply(received.reply());
            } finally {
                pool.release(received.frame());
            }
        } finally {
            pending.remove(id);
        }
    }

    /**
     * Sends a request whose answer is a plain OK and returns without waiting. The reply is
     * checked on the reader thread, which is cheap for an OK and saves waking a thread per call.
     * With {@code hold} the frame only joins the send queue (see {@link #writeAsyncHeld}).
     */
    private CompletableFuture<Void> start(Request request, boolean hold) {
        long id = request.requestId();
        CompletableFuture<Received> reply = new CompletableFuture<>();
        pending.put(id, new Waiting(request, reply, System.nanoTime() + options.ioTimeout().toNanos(),
                options.ioTimeout()));
        ChunkIOException closed = closedBy.get();
        if (closed != null) {
            pending.remove(id);
            return CompletableFuture.failedFuture(new ChunkIOException(closed.getMessage(), closed));
        }
        CompletableFuture<Void> result = new CompletableFuture<>();
        reply.whenComplete((received, failure) -> {
            pending.remove(id);
            if (failure != null) {
                result.completeExceptionally(failure instanceof ChunkException c ? c
                        : new ChunkIOException(String.valueOf(failure.getMessage()), failure));
                return;
            }
            try {
                switch (received.reply()) {
                    case Reply.Failure f -> result.completeExceptionally(f.error());
                    case Reply.Ok ok -> result.complete(null);
                    default -> result.completeExceptionally(violation(new ProtocolException(
                            "unexpected " + Opcode.of(received.reply()) + " reply to request " + id)));
                }
            } finally {
                pool.release(received.frame());
            }
        });
        if (hold) {
            sender.enqueue(sendCodec.encode(request), null);
        } else {
            sender.send(sendCodec.encode(request), null);
        }
        return result;
    }

    private Received await(CompletableFuture<Received> reply, Request request) {
        try {
            return reply.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChunkIOException("interrupted waiting for " + Opcode.of(request) + " reply", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new ChunkIOException(cause.getMessage(), cause);
        }
    }

    /**
     * Fails the connection when a call outlives its deadline. One sweep for all calls, instead of
     * a timer per call: a timer costs a scheduler round trip on every request of the data path,
     * and a timeout that closes the connection need not be precise to the millisecond.
     */
    private void watchTimeouts() {
        while (closedBy.get() == null) {
            long now = System.nanoTime();
            for (Waiting w : pending.values()) {
                if (now - w.deadlineNanos() > 0 && !w.reply().isDone()) {
                    fail(new ChunkIOException(Opcode.of(w.request()) + " request " + w.request().requestId() + " to "
                            + address + " timed out after " + w.timeout().toMillis() + " ms; connection closed"));
                    return;
                }
            }
            try {
                Thread.sleep(WATCHDOG_PERIOD);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void readLoop() {
        FrameReader frames = new FrameReader(channel, pool);
        try {
            while (true) {
                ByteBuffer frame = frames.next(replyCodec);
                if (frame == null) {
                    fail(new ChunkIOException("chunk service at " + address + " closed the connection"));
                    return;
                }
                Message m;
                try {
                    m = replyCodec.decode(frame.duplicate());
                } catch (ProtocolException e) {
                    pool.release(frame);
                    throw e;
                }
                if (!(m instanceof Reply reply)) {
                    pool.release(frame);
                    throw new ProtocolException("service sent a request frame");
                }
                if (reply instanceof Reply.HelloReply hello && hello.chunkSize() > 0) {
                    // Switched here, before anyone learns the handshake is done: this loop reads the
                    // next frame with whatever codec is set now, so a swap made by the caller after
                    // the reply would come too late for a large first reply.
                    replyCodec = new FrameCodec(Math.max(hello.chunkSize(), MIN_REPLY_PAYLOAD));
                }
                Waiting waiting = pending.get(reply.requestId());
                if (waiting == null || !waiting.reply().complete(new Received(reply, frame))) {
                    pool.release(frame); // its caller gave up (timeout) or the id is unknown
                }
            }
        } catch (ProtocolException e) {
            log.warn("closing connection to {}: {}", address, e.getMessage());
            fail(new ChunkIOException("protocol error from " + address + ": " + e.getMessage(), e));
        } catch (IOException e) {
            fail(new ChunkIOException("connection to " + address + " failed: " + e, e));
        }
    }

    /** Closes the connection once, failing every call in progress with {@code cause}. */
    private void fail(ChunkIOException cause) {
        if (!closedBy.compareAndSet(null, cause)) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("closing connection to {} failed", address, e);
        }
        pending.values().forEach(w -> w.reply().completeExceptionally(cause));
        watchdog.interrupt();
    }

    private ChunkIOException violation(ProtocolException e) {
        ChunkIOException failure = new ChunkIOException("protocol error from " + address + ": " + e.getMessage(), e);
        fail(failure);
        return failure;
    }

    private Void ok(Reply r) {
        return r instanceof Reply.Ok ? null : unexpected(r);
    }

    /** A reply of the wrong kind means the peer is broken: close, like any protocol violation. */
    private <T> T unexpected(Reply r) {
        throw violation(new ProtocolException("unexpected " + Opcode.of(r) + " reply to request " + r.requestId()));
    }
}
