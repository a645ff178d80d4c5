package io.keel.block.nbd;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * Buffered reads from the client. One read syscall usually pulls in several pipelined request
 * headers; large write payloads bypass the buffer and land directly in their destination, so payload
 * bytes are copied once (kernel to buffer) rather than twice.
 */
final class InputBuffer {
    private final ReadableByteChannel channel;
    // Unread bytes are [position, limit).
    private final ByteBuffer buf;

    InputBuffer(ReadableByteChannel channel, int capacity) {
        this.channel = channel;
        this.buf = ByteBuffer.allocateDirect(capacity).flip();
    }

    /** The buffer to decode from after {@link #fill}; decoding with relative gets consumes bytes. */
    ByteBuffer buffer() {
        return buf;
    }

    /**
     * Makes at least {@code n} bytes available (n at most the capacity). Returns false if the stream
     * ended before the first of them, which is a clean end between frames when {@code eofOk};
     * an end anywhere else is a truncated frame.
     */
    boolean fill(int n, boolean eofOk) throws IOException {
        if (n > buf.capacity()) {
            throw new IllegalArgumentException("cannot buffer " + n + " bytes");
        }
        if (buf.remaining() >= n) {
            return true;
        }
        boolean atStart = !buf.hasRemaining();
        buf.compact();
        try {
            while (buf.position() < n) {
                if (channel.read(buf) < 0) {
                    if (atStart && buf.position() == 0 && eofOk) {
                        return false;
                    }
                    throw new NbdProtocolException("connection closed in the middle of a frame");
                }
            }
            return true;
        } finally {
            buf.flip();
        }
    }

    /** Fills {@code dst} from its position to its limit. */
    void readFully(ByteBuffer dst) throws IOException {
        copyBuffered(dst);
        if (!dst.hasRemaining()) {
            return;
        }
        if (dst.remaining() <= buf.capacity() / 2) {
            // Small payload: one read for it and whatever follows it beats a read of its own.
            fill(dst.remaining(), false);
            copyBuffered(dst);
            return;
        }
        while (dst.hasRemaining()) {
            if (channel.read(dst) < 0) {
                throw new NbdProtocolException("connection closed in the middle of a payload");
            }
        }
    }

    /** Discards {@code n} bytes, e.g. the payload of a write that is refused. */
    void skip(long n) throws IOException {
        long left = n;
        while (left > 0) {
            if (!buf.hasRemaining()) {
                fill((int) Math.min(left, buf.capacity()), false);
            }
            int take = (int) Math.min(left, buf.remaining());
            buf.position(buf.position() + take);
            left -= take;
        }
    }

    private void copyBuffered(ByteBuffer dst) {
        int take = Math.min(buf.remaining(), dst.remaining());
        if (take > 0) {
            dst.put(buf.slice(buf.position(), take));
            buf.position(buf.position() + take);
        }
    }
}
