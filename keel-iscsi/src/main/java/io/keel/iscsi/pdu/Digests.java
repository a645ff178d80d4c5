package io.keel.iscsi.pdu;

import java.util.zip.CRC32C;

/**
 * CRC32C header and data digests (RFC 7143 section 13.1). The 32-bit value goes on the wire least
 * significant byte first, as every deployed initiator sends it (RFC 7143 Appendix B's examples).
 */
public final class Digests {
    private Digests() {}

    public static int crc32c(byte[] a, int off, int len, byte[] b, int boff, int blen) {
        CRC32C crc = new CRC32C();
        crc.update(a, off, len);
        if (b != null) {
            crc.update(b, boff, blen);
        }
        return (int) crc.getValue();
    }

    /** The digest of {@code data}'s remaining bytes followed by {@code pad} zero bytes; {@code data} is not moved. */
    public static int crc32c(java.nio.ByteBuffer data, int pad) {
        CRC32C crc = new CRC32C();
        crc.update(data.duplicate());
        crc.update(PAD, 0, pad);
        return (int) crc.getValue();
    }

    private static final byte[] PAD = new byte[3];

    public static void putLittleEndian(byte[] dst, int off, int v) {
        dst[off] = (byte) v;
        dst[off + 1] = (byte) (v >>> 8);
        dst[off + 2] = (byte) (v >>> 16);
        dst[off + 3] = (byte) (v >>> 24);
    }

    public static int getLittleEndian(byte[] src, int off) {
        return (src[off] & 0xff) | (src[off + 1] & 0xff) << 8 | (src[off + 2] & 0xff) << 16 | (src[off + 3] & 0xff) << 24;
    }

    /** Bytes of padding after a data segment of {@code length} bytes (to a 4-byte boundary). */
    public static int padding(int length) {
        return (4 - (length & 3)) & 3;
    }
}
