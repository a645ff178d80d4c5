package io.keel.block.nbd;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * Measures how long a connection's handshake has been blocked on its client: the time since the
 * read from or write to the client now in progress began. Time the server spends on its own work,
 * such as opening an export that waits for a lease, does not count, so a slow export is not
 * blamed on the client. Once the handshake is over the channels pass straight through.
 */
final class HandshakeWatch {
    private static final long NOT_WAITING = Long.MIN_VALUE;

    /** Written by the connection's thread only; read by the watchdog. */
    private volatile long waitingSince = NOT_WAITING;
    private volatile boolean finished;

    ReadableByteChannel watch(ReadableByteChannel in) {
        return new ReadableByteChannel() {
            @Override
            public int read(ByteBuffer dst) throws IOException {
                if (finished) {
                    return in.read(dst);
                }
                waitingSince = System.nanoTime();
                try {
                    return in.read(dst);
                } finally {
                    waitingSince = NOT_WAITING;
                }
            }

            @Override
            public boolean isOpen() {
                return in.isOpen();
            }

            @Override
            public void close() throws IOException {
                in.close();
            }
        };
    }

    WritableByteChannel watch(WritableByteChannel out) {
        return new WritableByteChannel() {
            @Override
            public int write(ByteBuffer src) throws IOException {
                if (finished) {
                    return out.write(src);
                }
                waitingSince = System.nanoTime();
                try {
                    return out.write(src);
                } finally {
                    waitingSince = NOT_WAITING;
                }
            }

            @Override
            public boolean isOpen() {
                return out.isOpen();
            }

            @Override
            public void close() throws IOException {
                out.close();
            }
        };
    }

    /** The handshake is over, one way or the other: nothing more to watch. */
    void finish() {
        finished = true;
    }

    /** How long the handshake has waited on the client; 0 if it is not waiting, -1 once finished. */
    long stalledNanos(long nowNanos) {
        if (finished) {
            return -1;
        }
        long since = waitingSince;
        return since == NOT_WAITING ? 0 : Math.max(0, nowNanos - since);
    }
}
