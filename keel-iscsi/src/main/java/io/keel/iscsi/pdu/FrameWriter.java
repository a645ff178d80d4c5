package io.keel.iscsi.pdu;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * Writes whole PDUs with the negotiated digests. Thread-safe: the command path and the keepalive
 * timer both send, and a PDU must reach the stream in one piece.
 */
public final class FrameWriter {
    private final OutputStream out;
    private boolean headerDigest;
    private boolean dataDigest;

    public FrameWriter(OutputStream out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    public synchronized void configure(boolean headerDigest, boolean dataDigest) {
        this.headerDigest = headerDigest;
        this.dataDigest = dataDigest;
    }

    public synchronized void write(Pdu pdu) throws IOException {
        writeFrame(pdu);
        out.flush();
    }

    /**
     * Writes {@code pdus} back to back, and flushes only if {@code flush}: a sender that knows
     * another is about to write leaves the flush to it, so responses finishing together leave in
     * one system call instead of one each.
     */
    public synchronized void write(java.util.List<? extends Pdu> pdus, boolean flush) throws IOException {
        for (Pdu p : pdus) {
            writeFrame(p);
        }
        if (flush) {
            out.flush();
        }
    }

    /**
     * Streams one frame as {@link #encode} lays it out, without first copying the data segment
     * into a frame buffer: Data-In segments are up to 256 KiB and this is the read path.
     */
    private void writeFrame(Pdu pdu) throws IOException {
        byte[] bhs = PduCodec.encodeBhs(pdu);
        Segment seg = pdu.data();
        out.write(bhs);
        if (headerDigest) {
            byte[] digest = new byte[4];
            Digests.putLittleEndian(digest, 0, Digests.crc32c(bhs, 0, bhs.length, null, 0, 0));
            out.write(digest);
        }
        int length = seg.length();
        if (length == 0) {
            return;
        }
        out.write(seg.array(), seg.offset(), length);
        int pad = Digests.padding(length);
        out.write(PAD, 0, pad);
        if (dataDigest) {
            byte[] digest = new byte[4];
            Digests.putLittleEndian(digest, 0, Digests.crc32c(seg.array(), seg.offset(), length, PAD, 0, pad));
            out.write(digest);
        }
    }

    private static final byte[] PAD = new byte[3];

    /** Closes the stream (for a socket: the connection, which also ends its reader). */
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
