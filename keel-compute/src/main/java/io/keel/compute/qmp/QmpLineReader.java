package io.keel.compute.qmp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.Arrays;
import java.util.Objects;

/**
 * Splits a byte stream into QMP lines. The length limit holds before anything is buffered beyond it,
 * so a peer that never sends a newline costs at most {@code maxLineBytes} of memory, not all of it.
 * Not thread-safe: one reader thread owns it.
 */
public final class QmpLineReader {
    private static final int READ_CHUNK = 64 << 10;

    private final ReadableByteChannel channel;
    private final int maxLineBytes;
    private final ByteBuffer in = ByteBuffer.allocate(READ_CHUNK).flip();
    private byte[] line = new byte[1024];
    private int lineLength;

    public QmpLineReader(ReadableByteChannel channel, int maxLineBytes) {
        this.channel = Objects.requireNonNull(channel, "channel");
        if (maxLineBytes < 1) {
            throw new IllegalArgumentException("maxLineBytes must be positive: " + maxLineBytes);
        }
        this.maxLineBytes = maxLineBytes;
    }

    /**
     * The next line without its newline, or null when the peer closed the stream between lines.
     *
     * @throws QmpProtocolException when a line exceeds the limit, or the stream ends inside a line
     */
    public byte[] readLine() throws IOException {
        while (true) {
            while (in.hasRemaining()) {
                byte b = in.get();
                if (b == '\n') {
                    byte[] out = Arrays.copyOf(line, lineLength);
                    lineLength = 0;
                    return out;
                }
                append(b);
            }
            in.clear();
            int n = channel.read(in);
            in.flip();
            if (n < 0) {
                if (lineLength > 0) {
                    throw new QmpProtocolException("connection closed inside a message (" + lineLength + " bytes without a newline)");
                }
                return null;
            }
        }
    }

    private void append(byte b) throws QmpProtocolException {
        if (lineLength == maxLineBytes) {
            throw new QmpProtocolException("line exceeds the limit of " + maxLineBytes + " bytes without a newline");
        }
        if (lineLength == line.length) {
            line = Arrays.copyOf(line, (int) Math.min(maxLineBytes, 2L * line.length));
        }
        line[lineLength++] = b;
    }
}
