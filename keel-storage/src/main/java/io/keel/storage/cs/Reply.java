package io.keel.storage.cs;

import io.keel.storage.chunk.ChunkException;
import io.keel.storage.chunk.ChunkInfo;
import io.keel.storage.chunk.Extent;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Server-to-client frames. */
public sealed interface Reply extends Message {

    record HelloReply(long requestId, int protocolVersion, int chunkSize, int blockSize) implements Reply {}

    /** Success of an operation that returns nothing. */
    record Ok(long requestId) implements Reply {}

    record StatReply(long requestId, Optional<ChunkInfo> info) implements Reply {
        public StatReply {
            Objects.requireNonNull(info, "info");
        }
    }

    record ListReply(long requestId, List<ChunkInfo> chunks) implements Reply {
        public ListReply {
            chunks = List.copyOf(chunks);
        }
    }

    /** {@code data} is the payload, a view into the buffer it was read into or received in. */
    record ReadReply(long requestId, ByteBuffer data) implements Reply {
        public ReadReply {
            Objects.requireNonNull(data, "data");
        }
    }

    record ScrubReply(long requestId, List<Integer> badBlocks) implements Reply {
        public ScrubReply {
            badBlocks = List.copyOf(badBlocks);
        }
    }

    record SpaceReply(long requestId, long freeBytes, long usedBytes) implements Reply {}

    /** Sorted, non-overlapping and non-adjacent, as the codec checks on decode. */
    record ExtentsReply(long requestId, List<Extent> extents) implements Reply {
        public ExtentsReply {
            extents = List.copyOf(extents);
        }
    }

    /** The operation failed; the client rethrows {@code error}, of the same type as on the server. */
    record Failure(long requestId, ChunkException error) implements Reply {
        public Failure {
            Objects.requireNonNull(error, "error");
        }
    }
}
