package io.keel.s3.payload;

import io.keel.s3.auth.SigV4Crypto;
import io.keel.s3.error.S3ErrorCode;
import io.keel.s3.error.S3Exception;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Passes a body through while computing what the request promised about it — its length, the
 * signed SHA-256 ({@code x-amz-content-sha256}), Content-MD5, one {@code x-amz-checksum-*} — and
 * checks all of it when the body ends, before returning -1. As with the chunked decoder, callers
 * commit only on end-of-stream. A longer body than promised is refused as soon as it shows.
 */
public final class VerifyingInputStream extends InputStream {
    private final InputStream in;
    private final long expectedLength;
    private final String expectedSha256;
    private final MessageDigest sha256;
    private final byte[] expectedMd5;
    private final MessageDigest md5;
    private final Checksums.Expected expectedChecksum;
    private final RunningChecksum checksum;
    private long total;
    private boolean done;
    private S3Exception failure;

    /**
     * @param expectedLength the body length the request announced, or -1 when unknown
     * @param sha256Hex      the SHA-256 the signature covers, if the request signed one
     */
    public VerifyingInputStream(InputStream in, long expectedLength, Optional<String> sha256Hex,
            Optional<byte[]> contentMd5, Optional<Checksums.Expected> checksum) {
        this.in = Objects.requireNonNull(in, "in");
        this.expectedLength = expectedLength;
        this.expectedSha256 = sha256Hex.map(s -> s.toLowerCase(Locale.ROOT)).orElse(null);
        this.sha256 = expectedSha256 == null ? null : SigV4Crypto.sha256();
        this.expectedMd5 = contentMd5.map(byte[]::clone).orElse(null);
        this.md5 = expectedMd5 == null ? null : newMd5();
        this.expectedChecksum = checksum.orElse(null);
        this.checksum = expectedChecksum == null ? null : expectedChecksum.algorithm().start();
    }

    private static MessageDigest newMd5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every JDK", e);
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (failure != null) {
            throw failure;
        }
        if (done) {
            return -1;
        }
        try {
            int n = in.read(b, off, len);
            if (n < 0) {
                verifyAtEnd();
                done = true;
                return -1;
            }
            total += n;
            if (expectedLength >= 0 && total > expectedLength) {
                throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "The body is longer than the announced length");
            }
            if (sha256 != null) {
                sha256.update(b, off, n);
            }
            if (md5 != null) {
                md5.update(b, off, n);
            }
            if (checksum != null) {
                checksum.update(b, off, n);
            }
            return n;
        } catch (S3Exception e) {
            failure = e;
            throw e;
        }
    }

    private void verifyAtEnd() throws S3Exception {
        if (expectedLength >= 0 && total != expectedLength) {
            throw new S3Exception(S3ErrorCode.INCOMPLETE_BODY);
        }
        if (sha256 != null && !SigV4Crypto.signaturesEqual(expectedSha256, HexFormat.of().formatHex(sha256.digest()))) {
            throw new S3Exception(S3ErrorCode.X_AMZ_CONTENT_SHA256_MISMATCH);
        }
        if (md5 != null && !MessageDigest.isEqual(expectedMd5, md5.digest())) {
            throw new S3Exception(S3ErrorCode.BAD_DIGEST);
        }
        if (checksum != null && !expectedChecksum.matches(checksum.finish())) {
            throw Checksums.mismatch(expectedChecksum.algorithm());
        }
    }

    /** Bytes passed so far. */
    public long count() {
        return total;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
