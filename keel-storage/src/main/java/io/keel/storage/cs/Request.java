package io.keel.storage.cs;

import io.keel.storage.chunk.ChunkId;
import java.nio.ByteBuffer;
import java.util.Objects;

/** Client-to-server frames, one per {@link io.keel.storage.chunk.ChunkOperations} operation. */
public sealed interface Request extends Message {

    /** First request on a connection: agrees on the protocol version and learns the chunk size. */
    record Hello(long requestId, int protocolVersion) implements Request {}

    record Create(long requestId, ChunkId chunk, long version) implements Request {
        public Create {
            Objects.requireNonNull(chunk, "chunk");
        }
    }

    record Delete(long requestId, ChunkId chunk) implements Request {
        public Delete {
            Objects.requireNonNull(chunk, "chunk");
        }
    }

    record Stat(long requestId, ChunkId chunk) implements Request {
        public Stat {
            Objects.requireNonNull(chunk, "chunk");
        }
    }

    record ListChunks(long requestId) implements Request {}

    /**
     * {@code data} is the frame's payload: a view into the receive buffer when decoded (valid
     * until the request is answered), so the data path copies nothing.
     */
    record Write(long requestId, ChunkId chunk, long offset, long version, long epoch, boolean durable,
            ByteBuffer data) implements Request {
        public Write {
            Objects.requireNonNull(chunk, "chunk");
            Objects.requireNonNull(data, "data");
        }
    }

    record Read(long requestId, ChunkId chunk, long offset, int length) implements Request {
        public Read {
            Objects.requireNonNull(chunk, "chunk");
        }
    }

    record SetVersion(long requestId, ChunkId chunk, long version) implements Request {
        public SetVersion {
            Objects.requireNonNull(chunk, "chunk");
        }
    }

    record Flush(long requestId) implements Request {}

    record Scrub(long requestId, ChunkId chunk) implements Request {
        public Scrub {
            Objects.requireNonNull(chunk, "chunk");
        }
    }

    /** Asks for free and used bytes. */
    record Space(long requestId) implements Request {}

    record Trim(long requestId, ChunkId chunk, long offset, long length, long version, long epoch)
            implements Request {
        public Trim {
            Objects.requireNonNull(chunk, "chunk");
        }
    }

    /** Asks for the chunk's written extents. */
    record Extents(long requestId, ChunkId chunk) implements Request {
        public Extents {
            Objects.requireNonNull(chunk, "chunk");
        }
    }
}
