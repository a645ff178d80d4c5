package io.keel.storage.cs;

import io.keel.storage.chunk.ChunkException;
import io.keel.storage.chunk.ChunkIOException;
import io.keel.storage.chunk.ChunkOperations;
import io.keel.storage.chunk.ChunkStoreOptions;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps each request to the chunk operation it names and the result to a reply. Chunk errors
 * become typed {@link Reply.Failure}s that the client rethrows as the same exception type.
 */
final class RequestHandler {
    private static final Logger log = LoggerFactory.getLogger(RequestHandler.class);

    /** A reply and the pooled buffer holding its payload, to release once the reply is sent. */
    record Outcome(Reply reply, ByteBuffer pooled) {}

    private final ChunkOperations store;
    private final BufferPool pool;

    RequestHandler(ChunkOperations store, BufferPool pool) {
        this.store = store;
        this.pool = pool;
    }

    Outcome handle(Request request) {
        long id = request.requestId();
        ByteBuffer pooled = null;
        try {
            Reply reply = switch (request) {
                case Request.Hello h -> new Reply.HelloReply(id, FrameCodec.PROTOCOL_VERSION, store.chunkSize(),
                        ChunkStoreOptions.BLOCK_SIZE);
                case Request.Create c -> {
                    store.create(c.chunk(), c.version());
                    yield new Reply.Ok(id);
                }
                case Request.Delete d -> {
                    store.delete(d.chunk());
                    yield new Reply.Ok(id);
                }
                case Request.Stat s -> new Reply.StatReply(id, store.stat(s.chunk()));
                case Request.ListChunks l -> new Reply.ListReply(id, store.list());
                case Request.Write w -> {
                    store.write(w.chunk(), w.offset(), w.data(), w.version(), w.epoch(), w.durable());
                    yield new Reply.Ok(id);
                }
                case Request.Read r -> {
                    pooled = pool.acquire(r.length());
                    store.read(r.chunk(), r.offset(), pooled);
                    yield new Reply.ReadReply(id, pooled.flip());
                }
                case Request.SetVersion v -> {
                    store.setVersion(v.chunk(), v.version());
                    yield new Reply.Ok(id);
                }
                case Request.Flush f -> {
                    store.flush();
                    yield new Reply.Ok(id);
                }
                case Request.Scrub s -> new Reply.ScrubReply(id, store.scrub(s.chunk()));
                case Request.Space s -> new Reply.SpaceReply(id, store.freeBytes(), store.usedBytes());
                case Request.Trim t -> {
                    store.trim(t.chunk(), t.offset(), t.length(), t.version(), t.epoch());
                    yield new Reply.Ok(id);
                }
                case Request.Extents e -> new Reply.ExtentsReply(id, store.extents(e.chunk()));
            };
            return new Outcome(reply, pooled);
        } catch (ChunkException e) {
            pool.release(pooled);
            return new Outcome(new Reply.Failure(id, e), null);
        } catch (RuntimeException e) {
            // A bug, not a chunk condition: report it as a failed replica rather than hang the client.
            log.error("request {} failed unexpectedly", Opcode.of(request), e);
            pool.release(pooled);
            return new Outcome(new Reply.Failure(id, new ChunkIOException("internal error: " + e)), null);
        }
    }
}
