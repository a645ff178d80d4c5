package io.keel.storage.chunk;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The small per-chunk metadata kept in {@code <chunk>.meta}: replaced whole by rename, so a crash
 * leaves either the old or the new record, never a mix.
 *
 * <p>Layout (28 bytes, big-endian): magic "KCM1", flags (bit 0: checksummed), version, epoch,
 * CRC32C of the preceding 24 bytes. The CRC catches bit rot; a torn record cannot happen.
 */
record ChunkMeta(long version, long epoch, boolean checksummed) {

    static final int SIZE = 28;
    private static final int MAGIC = 0x4B434D31;
    private static final int FLAG_CHECKSUMMED = 1;

    ChunkMeta withVersion(long v) {
        return new ChunkMeta(v, epoch, checksummed);
    }

    ChunkMeta withEpoch(long e) {
        return new ChunkMeta(version, e, checksummed);
    }

    ByteBuffer encode() {
        ByteBuffer b = ByteBuffer.allocate(SIZE);
        b.putInt(MAGIC).putInt(checksummed ? FLAG_CHECKSUMMED : 0).putLong(version).putLong(epoch);
        b.putInt(crc(b.array(), SIZE - 4));
        return b.flip();
    }

    /** Decodes a record; the message says what is wrong when it is not a valid one. */
    static ChunkMeta decode(byte[] bytes) throws CorruptMetaException {
        if (bytes.length != SIZE) {
            throw new CorruptMetaException("length " + bytes.length + ", expected " + SIZE);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        if (b.getInt(0) != MAGIC) {
            throw new CorruptMetaException("bad magic");
        }
        if (b.getInt(SIZE - 4) != crc(bytes, SIZE - 4)) {
            throw new CorruptMetaException("crc32c mismatch");
        }
        int flags = b.getInt(4);
        long version = b.getLong(8);
        long epoch = b.getLong(16);
        if ((flags & ~FLAG_CHECKSUMMED) != 0 || version < 0 || epoch < 0) {
            throw new CorruptMetaException("invalid fields");
        }
        return new ChunkMeta(version, epoch, (flags & FLAG_CHECKSUMMED) != 0);
    }

    private static int crc(byte[] a, int len) {
        CRC32C c = new CRC32C();
        c.update(a, 0, len);
        return (int) c.getValue();
    }

    /** A metadata file that is not a valid record (only bit rot or tampering can cause this). */
    static final class CorruptMetaException extends Exception {
        CorruptMetaException(String message) {
            super(message);
        }
    }
}
