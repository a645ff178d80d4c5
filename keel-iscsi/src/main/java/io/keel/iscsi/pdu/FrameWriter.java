package io.keel.iscsi.pdu;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.List;
import java.util.Objects;

/**
 * Writes whole PDUs with the negotiated digests. Thread-safe: the command path and the keepalive
 * timer both send, and a PDU must reach the channel in one piece.
 *
 * <p>Headers and small data segments collect in a direct buffer that goes out on flush, so
 * responses finishing together leave in one system call. A data segment above
 * {@link #COPY_LIMIT} is not copied: it leaves at once from its own buffer, behind what was
 * collected, in one gathering write. That keeps a large read's Data-In in the direct memory it
 * was read into all the way to the socket, and means the caller may reuse the segment's buffer as
 * soon as the call returns.
 */
public final class FrameWriter {
    /** Segments up to this size are copied into the collecting buffer; larger ones are sent from their own. */
    static final int COPY_LIMIT = 16 << 10;
    private static final int COLLECT = 64 << 10;
    private static final byte[] PAD = new byte[3];

    private final WritableByteChannel out;
    private final ByteBuffer pending = ByteBuffer.allocateDirect(COLLECT).order(ByteOrder.LITTLE_ENDIAN);
    private final ByteBuffer[] pair = new ByteBuffer[2];
    private boolean headerDigest;
    private boolean dataDigest;

    public FrameWriter(WritableByteChannel out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    /** Over a stream (tests, and anything without a channel); every flush writes to it. */
    public FrameWriter(OutputStream out) {
        this(Channels.newChannel(Objects.requireNonNull(out, "out")));
    }

    public synchronized void configure(boolean headerDigest, boolean dataDigest) {
        this.headerDigest = headerDigest;
        this.dataDigest = dataDigest;
    }

    public synchronized void write(Pdu pdu) throws IOException {
        writeFrame(pdu);
        flush();
    }

    /**
     * Writes {@code pdus} back to back, and flushes only if {@code flush}: a sender that knows
     * another is about to write leaves the flush to it, so responses finishing together leave in
     * one system call instead of one each. Large segments are sent before this returns anyway.
     */
    public synchronized void write(List<? extends Pdu> pdus, boolean flush) throws IOException {
        for (Pdu p : pdus) {
            writeFrame(p);
        }
        if (flush) {
            flush();
        }
    }

    private void writeFrame(Pdu pdu) throws IOException {
        byte[] bhs = PduCodec.encodeBhs(pdu);
        room(bhs.length + 4);
        pending.put(bhs);
        if (headerDigest) {
            pending.putInt(Digests.crc32c(bhs, 0, bhs.length, null, 0, 0));
        }
        Segment seg = pdu.data();
        int length = seg.length();
        if (length == 0) {
            return;
        }
        ByteBuffer data = seg.buffer();
        int pad = Digests.padding(length);
        int digest = dataDigest ? Digests.crc32c(data, pad) : 0;
        if (length <= COPY_LIMIT) {
            room(length);
            pending.put(data);
        } else {
            pending.flip();
            pair[0] = pending;
            pair[1] = data;
            try {
                writeFully(pair);
            } finally {
                pair[1] = null;
                pending.clear();
            }
        }
        room(pad + 4);
        pending.put(PAD, 0, pad);
        if (dataDigest) {
            pending.putInt(digest);
        }
    }

    private void room(int bytes) throws IOException {
        if (pending.remaining() < bytes) {
            flush();
        }
    }

    private void flush() throws IOException {
        pending.flip();
        try {
            while (pending.hasRemaining()) {
                out.write(pending);
            }
        } finally {
            pending.clear();
        }
    }

    private void writeFully(ByteBuffer[] buffers) throws IOException {
        if (out instanceof GatheringByteChannel g) {
            while (buffers[buffers.length - 1].hasRemaining()) {
                g.write(buffers);
            }
            return;
        }
        for (ByteBuffer b : buffers) {
            while (b.hasRemaining()) {
                out.write(b);
            }
        }
    }

    /** Closes the channel (for a socket: the connection, which also ends its reader). */
    public void close() throws IOException {
        out.close();
    }

    /** The complete frame as it goes on the wire. */
    public static byte[] encode(Pdu pdu, boolean headerDigest, boolean dataDigest) {
        byte[] bhs = PduCodec.encodeBhs(pdu);
        byte[] data = pdu.data().bytes();
        int pad = Digests.padding(data.length);
        int hd = headerDigest ? 4 : 0;
        int dd = dataDigest && data.length > 0 ? 4 : 0;
        byte[] frame = new byte[bhs.length + hd + data.length + pad + dd];
        System.arraycopy(bhs, 0, frame, 0, bhs.length);
        if (hd > 0) {
            Digests.putLittleEndian(frame, bhs.length, Digests.crc32c(bhs, 0, bhs.length, null, 0, 0));
        }
        int dataAt = bhs.length + hd;
        System.arraycopy(data, 0, frame, dataAt, data.length);
        if (dd > 0) {
            Digests.putLittleEndian(frame, dataAt + data.length + pad,
                    Digests.crc32c(frame, dataAt, data.length + pad, null, 0, 0));
        }
        return frame;
    }
}
