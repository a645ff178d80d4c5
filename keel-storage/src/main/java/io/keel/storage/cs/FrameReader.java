package io.keel.storage.cs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * Cuts a byte stream into frames: reads the prefix, checks it, then the rest of the frame into a
 * pooled buffer. An oversized length is refused before anything is buffered. Reads go through a
 * staging buffer, so a burst of small frames costs one read instead of two per frame; the bulk
 * of a large payload is read straight into its frame buffer. Not thread-safe; one per connection.
 */
final class FrameReader {
    private static final int STAGING_BYTES = 64 << 10;

    private final ReadableByteChannel in;
    private final BufferPool pool;
    /** Bytes received and not yet handed out lie between position and limit. */
    private final ByteBuffer staging = ByteBuffer.allocateDirect(STAGING_BYTES).limit(0);

    FrameReader(ReadableByteChannel in, BufferPool pool) {
        this.in = in;
        this.pool = pool;
    }

    /**
     * The next whole frame in a pooled buffer (position 0, limit at its end), or null if the
     * stream ended cleanly between frames. The caller releases the buffer to the pool.
     *
     * @throws ProtocolException if the prefix is invalid or the stream ends inside a frame
     */
    ByteBuffer next(FrameCodec codec) throws IOException {
        while (staging.remaining() < FrameCodec.PREFIX_BYTES) {
            if (!refill()) {
                if (!staging.hasRemaining()) {
                    return null;
                }
                throw new ProtocolException("truncated frame: stream ended after " + staging.remaining()
                        + " bytes of the " + FrameCodec.PREFIX_BYTES + "-byte prefix");
            }
        }
        int total = codec.frameLength(staging.slice(staging.position(), FrameCodec.PREFIX_BYTES));
        ByteBuffer frame = pool.acquire(total);
        int buffered = Math.min(total, staging.remaining());
        frame.put(frame.position(), staging, staging.position(), buffered).position(buffered);
        staging.position(staging.position() + buffered);
        while (frame.hasRemaining()) {
            if (in.read(frame) < 0) {
                int got = frame.position();
                pool.release(frame);
                throw new ProtocolException("truncated frame: stream ended after " + got + " of " + total + " bytes");
            }
        }
        return frame.flip();
    }

    /** Whether a whole frame is buffered, so {@link #next} would return it without reading. */
    boolean frameReady() {
        if (staging.remaining() < FrameCodec.PREFIX_BYTES) {
            return false;
        }
        long body = Integer.toUnsignedLong(staging.getInt(staging.position() + 4));
        return staging.remaining() >= FrameCodec.PREFIX_BYTES + body;
    }

    /** Reads whatever is available after the unconsumed bytes; false at the end of the stream. */
    private boolean refill() throws IOException {
        staging.compact();
        try {
            return in.read(staging) >= 0;
        } finally {
            staging.flip();
        }
    }
}
