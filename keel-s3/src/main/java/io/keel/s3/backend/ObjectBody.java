package io.keel.s3.backend;

import io.keel.s3.payload.ChecksumAlgorithm;
import io.keel.s3.payload.RunningChecksum;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * The bytes of an object or part on their way to the backend. The stream underneath already
 * verifies everything the client promised (signature, length, Content-MD5, checksums) and throws
 * an {@link io.keel.s3.error.S3Exception} from {@code read} when a promise is broken. This class
 * adds what the backend must record: the MD5 ETag and the additional checksum.
 *
 * <p>The backend contract: read to end-of-stream (-1) before making anything visible; only then
 * are {@link #etag()} and {@link #checksum()} available. An exception from {@code read} means the
 * write never happened.
 */
public final class ObjectBody extends InputStream {
    private final InputStream in;
    private final long declaredLength;
    private final MessageDigest md5;
    private final ChecksumAlgorithm algorithm;
    private final RunningChecksum running;
    private long count;
    private boolean ended;
    private String etag;
    private StoredChecksum checksum;

    /**
     * @param declaredLength the decoded length the client announced, -1 when unknown
     * @param algorithm      the additional checksum to record, if the client asked for one
     */
    public ObjectBody(InputStream in, long declaredLength, Optional<ChecksumAlgorithm> algorithm) {
        this.in = Objects.requireNonNull(in, "in");
        this.declaredLength = declaredLength;
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm").orElse(null);
        this.running = this.algorithm == null ? null : this.algorithm.start();
        try {
            this.md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every JDK", e);
        }
    }

    /** The decoded length the client announced, or -1; a hint for preallocation, not a promise. */
    public long declaredLength() {
        return declaredLength;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (ended) {
            return -1;
        }
        int n = in.read(b, off, len);
        if (n < 0) {
            ended = true;
            etag = HexFormat.of().formatHex(md5.digest());
            if (running != null) {
                checksum = new StoredChecksum(algorithm, Base64.getEncoder().encodeToString(running.finish()));
            }
            return -1;
        }
        md5.update(b, off, n);
        if (running != null) {
            running.update(b, off, n);
        }
        count += n;
        return n;
    }

    /** Bytes read so far; after the end, the object's size. */
    public long count() {
        return count;
    }

    public boolean ended() {
        return ended;
    }

    /** Hex MD5 of the whole body; only after end-of-stream. */
    public String etag() {
        requireEnded();
        return etag;
    }

    public Optional<StoredChecksum> checksum() {
        requireEnded();
        return Optional.ofNullable(checksum);
    }

    private void requireEnded() {
        if (!ended) {
            throw new IllegalStateException("the body has not been read to its end");
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
