package io.keel.iscsi.pdu;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Reads whole PDUs from a stream: BHS, AHS, optional header digest, data segment, padding,
 * optional data digest. Limits are enforced before anything is allocated, so a hostile length
 * field cannot make the target allocate more than the negotiated MaxRecvDataSegmentLength.
 * Not thread-safe: one reader per connection.
 */
public final class FrameReader {
    private final InputStream in;
    private volatile boolean headerDigest;
    private volatile boolean dataDigest;
    private volatile int maxDataSegment;

    /** Starts without digests and with the login-phase limit of 8192 bytes (RFC 7143 12.12). */
    public FrameReader(InputStream in) {
        this.in = Objects.requireNonNull(in, "in");
        this.maxDataSegment = 8192;
    }

    /** Applies the negotiated digests and our MaxRecvDataSegmentLength for the next PDU on. */
    public void configure(boolean headerDigest, boolean dataDigest, int maxDataSegment) {
        if (maxDataSegment < 512 || maxDataSegment > Opcode.MAX_SEGMENT) {
            throw new IllegalArgumentException("bad MaxRecvDataSegmentLength " + maxDataSegment);
        }
        this.headerDigest = headerDigest;
        this.dataDigest = dataDigest;
        this.maxDataSegment = maxDataSegment;
    }

    /**
     * The next PDU, or null if the stream ended cleanly between PDUs.
     *
     * @throws PduException the bytes break a wire rule (the caller drops the connection)
     * @throws IOException  the stream failed or ended inside a PDU
     */
    public Pdu read() throws IOException, PduException {
        byte[] bhs = new byte[Opcode.BHS_LENGTH];
        int first = in.readNBytes(bhs, 0, bhs.length);
        if (first == 0) {
            return null;
        }
        if (first < bhs.length) {
            throw new EOFException("stream ended inside a BHS (" + first + " of 48 bytes)");
        }
        int ahsLength = (bhs[4] & 0xff) * 4;
        int dsl = ((bhs[5] & 0xff) << 16) | ((bhs[6] & 0xff) << 8) | (bhs[7] & 0xff);
        if (dsl > maxDataSegment) {
            throw new PduException("DataSegmentLength " + dsl + " exceeds MaxRecvDataSegmentLength " + maxDataSegment);
        }
        byte[] ahs = readExactly(ahsLength);
        if (headerDigest) {
            int expected = Digests.getLittleEndian(readExactly(4), 0);
            int actual = Digests.crc32c(bhs, 0, bhs.length, ahs, 0, ahs.length);
            if (expected != actual) {
                throw new PduException(String.format("header digest mismatch: got %08x, computed %08x", expected, actual));
            }
        }
        byte[] data = readExactly(dsl);
        int pad = Digests.padding(dsl);
        byte[] padding = readExactly(pad);
        if (dataDigest && dsl > 0) {
            int expected = Digests.getLittleEndian(readExactly(4), 0);
            int actual = Digests.crc32c(data, 0, dsl, padding, 0, pad);
            if (expected != actual) {
                throw new PduException(String.format("data digest mismatch: got %08x, computed %08x", expected, actual));
            }
        }
        return PduCodec.decode(bhs, ahs, data);
    }

    private byte[] readExactly(int n) throws IOException {
        if (n == 0) {
            return new byte[0];
        }
        byte[] b = in.readNBytes(n);
        if (b.length < n) {
            throw new EOFException("stream ended inside a PDU");
        }
        return b;
    }
}
