package io.keel.s3.payload;

import java.util.zip.Checksum;

/**
 * CRC-64/NVME (reflected polynomial 0x9A6C9329AC4BC9B5, initial and final XOR all ones), the
 * CRC64NVME of S3's checksums. The JDK has no CRC-64, so it is computed here with one lookup table.
 */
public final class Crc64Nvme implements Checksum {
    private static final long POLY_REFLECTED = 0x9A6C9329AC4BC9B5L;
    // Read-only after class initialisation; derived from the polynomial, never written again.
    private static final long[] TABLE = table();

    private long crc = -1L;

    private static long[] table() {
        long[] t = new long[256];
        for (int i = 0; i < 256; i++) {
            long c = i;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ POLY_REFLECTED : c >>> 1;
            }
            t[i] = c;
        }
        return t;
    }

    @Override
    public void update(int b) {
        crc = TABLE[(int) ((crc ^ b) & 0xFF)] ^ (crc >>> 8);
    }

    @Override
    public void update(byte[] b, int off, int len) {
        long c = crc;
        for (int i = off; i < off + len; i++) {
            c = TABLE[(int) ((c ^ b[i]) & 0xFF)] ^ (c >>> 8);
        }
        crc = c;
    }

    @Override
    public long getValue() {
        return ~crc;
    }

    @Override
    public void reset() {
        crc = -1L;
    }
}
