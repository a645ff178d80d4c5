package io.keel.s3.payload;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/** The additional checksums S3 accepts in {@code x-amz-checksum-*} headers and trailers. */
public enum ChecksumAlgorithm {
    CRC32("CRC32", 4),
    CRC32C("CRC32C", 4),
    CRC64NVME("CRC64NVME", 8),
    SHA1("SHA1", 20),
    SHA256("SHA256", 32);

    private final String wireName;
    private final int length;

    ChecksumAlgorithm(String wireName, int length) {
        this.wireName = wireName;
        this.length = length;
    }

    /** As in {@code x-amz-checksum-algorithm} and error messages: CRC32, CRC32C, ... */
    public String wireName() {
        return wireName;
    }

    public String headerName() {
        return "x-amz-checksum-" + wireName.toLowerCase(Locale.ROOT);
    }

    /** Length of the raw checksum in bytes. */
    public int length() {
        return length;
    }

    public static Optional<ChecksumAlgorithm> forHeader(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (ChecksumAlgorithm a : values()) {
            if (a.headerName().equals(n)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    public RunningChecksum start() {
        return switch (this) {
            case CRC32 -> crc(CRC32::new, 4);
            case CRC32C -> crc(CRC32C::new, 4);
            case CRC64NVME -> crc(Crc64Nvme::new, 8);
            case SHA1 -> digest("SHA-1");
            case SHA256 -> digest("SHA-256");
        };
    }

    public byte[] compute(byte[] data) {
        RunningChecksum c = start();
        c.update(data, 0, data.length);
        return c.finish();
    }

    private static RunningChecksum crc(Supplier<Checksum> factory, int bytes) {
        Checksum c = factory.get();
        return new RunningChecksum() {
            @Override
            public void update(byte[] b, int off, int len) {
                c.update(b, off, len);
            }

            @Override
            public byte[] finish() {
                ByteBuffer out = ByteBuffer.allocate(8).putLong(c.getValue());
                byte[] r = new byte[bytes];
                System.arraycopy(out.array(), 8 - bytes, r, 0, bytes);
                return r;
            }
        };
    }

    private static RunningChecksum digest(String name) {
        MessageDigest d;
        try {
            d = MessageDigest.getInstance(name);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(name + " is part of every JDK", e);
        }
        return new RunningChecksum() {
            @Override
            public void update(byte[] b, int off, int len) {
                d.update(b, off, len);
            }

            @Override
            public byte[] finish() {
                return d.digest();
            }
        };
    }
}
