package io.keel.s3.payload;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.s3.auth.ChunkSigner;
import io.keel.s3.error.S3ErrorCode;
import io.keel.s3.error.S3Exception;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AwsChunkedInputStreamTest {
    static final String SEED = "a".repeat(64);

    static AwsChunkedInputStream stream(byte[] wire, boolean signed, ChecksumAlgorithm checksum, boolean trailer, long decoded) {
        return new AwsChunkedInputStream(new ByteArrayInputStream(wire), signed ? ChunkedEncoder.signer(SEED) : null,
                trailer, Optional.ofNullable(checksum), decoded);
    }

    /** Reads with randomly sized reads, as an HTTP server's copy loop might. */
    static byte[] drain(InputStream in, Random rnd) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[70_000];
        while (true) {
            int want = rnd.nextInt(4) == 0 ? 1 : rnd.nextInt(buf.length);
            int n = in.read(buf, 0, want);
            if (n < 0) {
                return out.toByteArray();
            }
            out.write(buf, 0, n);
        }
    }

    static S3ErrorCode failure(byte[] wire, boolean signed, ChecksumAlgorithm checksum, boolean trailer, long decoded) {
        try {
            drain(stream(wire, signed, checksum, trailer, decoded), new Random(1));
        } catch (S3Exception e) {
            return e.code();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return null;
    }

    @Test
    void randomRoundTrips() throws Exception {
        Random rnd = new Random(77);
        for (int i = 0; i < 300; i++) {
            byte[] data = new byte[rnd.nextInt(5) == 0 ? 0 : rnd.nextInt(100_000)];
            rnd.nextBytes(data);
            int chunk = 1 + rnd.nextInt(40_000);
            boolean signed = rnd.nextBoolean();
            ChecksumAlgorithm alg = rnd.nextInt(6) == 0 ? null : ChecksumAlgorithm.values()[rnd.nextInt(ChecksumAlgorithm.values().length)];
            boolean trailer = alg != null || !signed || rnd.nextBoolean();
            byte[] wire = ChunkedEncoder.encode(data, chunk, signed ? ChunkedEncoder.signer(SEED) : null, alg, trailer);
            assertThat(drain(stream(wire, signed, alg, trailer, data.length), rnd)).as("case %d", i).isEqualTo(data);
        }
    }

    @Test
    void everyTruncationIsIncompleteOrMalformedNeverSomethingElse() {
        byte[] data = "0123456789abcdef".repeat(20).getBytes(StandardCharsets.US_ASCII);
        byte[] wire = ChunkedEncoder.encode(data, 100, ChunkedEncoder.signer(SEED), ChecksumAlgorithm.CRC32C, true);
        for (int cut = 0; cut < wire.length; cut++) {
            S3ErrorCode c = failure(Arrays.copyOf(wire, cut), true, ChecksumAlgorithm.CRC32C, true, data.length);
            assertThat(c).as("cut at %d", cut).isIn(S3ErrorCode.INCOMPLETE_BODY, S3ErrorCode.INVALID_REQUEST);
        }
    }

    @Test
    void everySingleByteFlipIsDetected() {
        byte[] data = "hello chunks, hello trailers".repeat(10).getBytes(StandardCharsets.US_ASCII);
        byte[] wire = ChunkedEncoder.encode(data, 64, ChunkedEncoder.signer(SEED), ChecksumAlgorithm.SHA256, true);
        for (int i = 0; i < wire.length; i++) {
            byte[] t = wire.clone();
            t[i] ^= 0x01;
            assertThat(failure(t, true, ChecksumAlgorithm.SHA256, true, data.length)).as("flip at %d", i).isNotNull();
        }
    }

    @Test
    void framingErrors() {
        assertThat(failure(ascii("5\n"), false, null, true, 5)).isEqualTo(S3ErrorCode.INVALID_REQUEST);
        assertThat(failure(ascii("zz\r\n"), false, null, true, 5)).isEqualTo(S3ErrorCode.INVALID_REQUEST);
        assertThat(failure(ascii("\r\n"), false, null, true, 5)).isEqualTo(S3ErrorCode.INVALID_REQUEST);
        assertThat(failure(ascii("1000000000000000\r\n"), false, null, true, 5)).isEqualTo(S3ErrorCode.INVALID_REQUEST);
        assertThat(failure(ascii("5" + " ".repeat(5000) + "\r\n"), false, null, true, 5)).isEqualTo(S3ErrorCode.INVALID_REQUEST);
        assertThat(failure(ascii("5\r\nhelloXY0\r\n\r\n"), false, null, true, 5)).isEqualTo(S3ErrorCode.INVALID_REQUEST);
        assertThat(failure(ascii("5\r\nhello\r\n0\r\n\r\nextra"), false, null, true, 5)).isEqualTo(S3ErrorCode.INVALID_REQUEST);
        assertThat(failure(ascii("5\r\nhello\r\n0\r\n\r\n"), false, null, true, 5)).isNull();
        // Signed chunks need their signature extension.
        assertThat(failure(ascii("5\r\nhello\r\n0\r\n\r\n"), true, null, false, 5)).isEqualTo(S3ErrorCode.INVALID_REQUEST);
        assertThat(failure(ascii("5;chunk-signature=xyz\r\nhello\r\n"), true, null, false, 5)).isEqualTo(S3ErrorCode.INVALID_REQUEST);
    }

    @Test
    void decodedLengthMustMatch() {
        byte[] data = new byte[1000];
        byte[] wire = ChunkedEncoder.encode(data, 300, ChunkedEncoder.signer(SEED), null, false);
        assertThat(failure(wire, true, null, false, 1000)).isNull();
        assertThat(failure(wire, true, null, false, 999)).isEqualTo(S3ErrorCode.INVALID_ARGUMENT);
        assertThat(failure(wire, true, null, false, 1001)).isEqualTo(S3ErrorCode.INCOMPLETE_BODY);
    }

    @Test
    void trailersMustBeTheAnnouncedChecksum() {
        byte[] data = ascii("trailing");
        byte[] crc = ChunkedEncoder.encode(data, 4, null, ChecksumAlgorithm.CRC32, true);
        assertThat(failure(crc, false, ChecksumAlgorithm.CRC32, true, data.length)).isNull();
        // Announced CRC32C, sent CRC32.
        assertThat(failure(crc, false, ChecksumAlgorithm.CRC32C, true, data.length)).isEqualTo(S3ErrorCode.INVALID_REQUEST);
        // Nothing announced, something sent.
        assertThat(failure(crc, false, null, true, data.length)).isEqualTo(S3ErrorCode.INVALID_REQUEST);
        // Announced, nothing sent.
        byte[] none = ChunkedEncoder.encode(data, 4, null, null, true);
        assertThat(failure(none, false, ChecksumAlgorithm.CRC32, true, data.length)).isEqualTo(S3ErrorCode.INVALID_REQUEST);
        // A wrong value of the right shape.
        byte[] wrong = new String(crc, StandardCharsets.US_ASCII).replaceAll("crc32:[^\r]*", "crc32:AAAAAA==").getBytes(StandardCharsets.US_ASCII);
        assertThat(failure(wrong, false, ChecksumAlgorithm.CRC32, true, data.length)).isEqualTo(S3ErrorCode.BAD_DIGEST);
        // A value that is not base64 of four bytes.
        byte[] bad = new String(crc, StandardCharsets.US_ASCII).replaceAll("crc32:[^\r]*", "crc32:AAAA").getBytes(StandardCharsets.US_ASCII);
        assertThat(failure(bad, false, ChecksumAlgorithm.CRC32, true, data.length)).isEqualTo(S3ErrorCode.INVALID_REQUEST);
        // Too many trailer lines.
        byte[] many = ascii("0\r\n" + "x-amz-checksum-crc32:AAAAAA==\r\n".repeat(20) + "\r\n");
        assertThat(failure(many, false, ChecksumAlgorithm.CRC32, true, 0)).isEqualTo(S3ErrorCode.INVALID_REQUEST);
        // A signed trailer without its signature.
        byte[] unsignedTrailer = ChunkedEncoder.encode(data, 4, null, ChecksumAlgorithm.CRC32, true);
        ChunkSigner s = ChunkedEncoder.signer(SEED);
        byte[] signedChunks = ChunkedEncoder.encode(data, 4, s, null, false);
        assertThat(unsignedTrailer).isNotEmpty();
        byte[] noSig = ascii(new String(signedChunks, StandardCharsets.US_ASCII).replaceAll("\r\n\r\n$", "\r\nx-amz-checksum-crc32:"
                + Checksums.base64(ChecksumAlgorithm.CRC32.compute(data)) + "\r\n\r\n"));
        assertThat(failure(noSig, true, ChecksumAlgorithm.CRC32, true, data.length)).isEqualTo(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
    }

    @Test
    void aFailureIsSticky() throws Exception {
        InputStream in = stream(ascii("zz\r\n"), false, null, true, 1);
        S3Exception first = catchS3(in);
        assertThat(catchS3(in)).isSameAs(first);
    }

    static S3Exception catchS3(InputStream in) {
        try {
            in.read(new byte[10]);
        } catch (S3Exception e) {
            return e;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("no failure");
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
