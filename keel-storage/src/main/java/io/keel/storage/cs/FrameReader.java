package io.keel.storage.cs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * Cuts a byte stream into frames: reads the prefix, checks it, then reads exactly the rest of
 * the frame into a pooled buffer. An oversized length is refused before anything is buffered.
 * Not thread-safe; one per connection.
 */
final class FrameReader {
    private final ReadableByteChannel in;
    private final BufferPool pool;
    private final ByteBuffer prefix = ByteBuffer.allocateDirect(FrameCodec.PREFIX_BYTES);

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
        prefix.clear();
        while (prefix.hasRemaining()) {
            if (in.read(prefix) < 0) {
                if (prefix.position() == 0) {
                    return null;
                }
                throw new ProtocolException("truncated frame: stream ended after " + prefix.position()
                        + " bytes of the " + FrameCodec.PREFIX_BYTES + "-byte prefix");
            }
        }
        prefix.flip();
        int total = codec.frameLength(prefix);
        ByteBuffer frame = pool.acquire(total);
        frame.put(prefix);
        while (frame.hasRemaining()) {
            if (in.read(frame) < 0) {
                int got = frame.position();
                pool.release(frame);
                throw new ProtocolException("truncated frame: stream ended after " + got + " of " + total + " bytes");
            }
        }
        return frame.flip();
    }
}
