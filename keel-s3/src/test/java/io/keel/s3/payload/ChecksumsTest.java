package io.keel.s3.payload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.s3.error.S3ErrorCode;
import io.keel.s3.error.S3Exception;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.checksums.DefaultChecksumAlgorithm;
import software.amazon.awssdk.checksums.SdkChecksum;

class ChecksumsTest {
    @Test
    void crc64NvmeCheckValue() {
        Crc64Nvme c = new Crc64Nvme();
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        c.update(check, 0, check.length);
        assertThat(c.getValue()).isEqualTo(0xAE8B14860A799888L);
        assertThat(HexFormat.of().formatHex(ChecksumAlgorithm.CRC64NVME.compute(check))).isEqualTo("ae8b14860a799888");
    }

    @Test
    void agreesWithTheSdkOnRandomData() {
        Random rnd = new Random(5);
        for (int i = 0; i < 50; i++) {
            byte[] data = new byte[rnd.nextInt(10_000)];
            rnd.nextBytes(data);
            assertThat(ChecksumAlgorithm.CRC32.compute(data)).isEqualTo(sdk(DefaultChecksumAlgorithm.CRC32, data));
            assertThat(ChecksumAlgorithm.CRC32C.compute(data)).isEqualTo(sdk(DefaultChecksumAlgorithm.CRC32C, data));
            assertThat(ChecksumAlgorithm.SHA1.compute(data)).isEqualTo(sdk(DefaultChecksumAlgorithm.SHA1, data));
            assertThat(ChecksumAlgorithm.SHA256.compute(data)).isEqualTo(sdk(DefaultChecksumAlgorithm.SHA256, data));
        }
    }

    static byte[] sdk(software.amazon.awssdk.checksums.spi.ChecksumAlgorithm a, byte[] data) {
        SdkChecksum c = SdkChecksum.forAlgorithm(a);
        c.update(data, 0, data.length);
        return c.getChecksumBytes();
    }

    @Test
    void headerParsing() throws Exception {
        assertThat(ChecksumAlgorithm.forHeader("X-Amz-Checksum-CRC32C")).contains(ChecksumAlgorithm.CRC32C);
        assertThat(ChecksumAlgorithm.forHeader("x-amz-checksum-md5")).isEmpty();
        assertThat(Checksums.fromHeaders(Map.of("x-amz-checksum-crc32", List.of("AAAAAA==")))).isPresent();
        assertThat(code(() -> Checksums.fromHeaders(Map.of("x-amz-checksum-crc32", List.of("AAAAAA=="),
                "x-amz-checksum-sha1", List.of("AAAAAAAAAAAAAAAAAAAAAAAAAAA="))))).isEqualTo(S3ErrorCode.INVALID_REQUEST);
        assertThat(code(() -> Checksums.parseChecksum(ChecksumAlgorithm.SHA256, "AAAAAA=="))).isEqualTo(S3ErrorCode.INVALID_REQUEST);
        assertThat(code(() -> Checksums.parseContentMd5("not base64!"))).isEqualTo(S3ErrorCode.INVALID_DIGEST);
        assertThat(code(() -> Checksums.parseContentMd5("AAAAAA=="))).isEqualTo(S3ErrorCode.INVALID_DIGEST);
    }

    @Test
    void verifyingStreamChecksLengthMd5ChecksumAndSha256AtTheEnd() throws Exception {
        byte[] data = "the quick brown fox".getBytes(StandardCharsets.US_ASCII);
        byte[] md5 = MessageDigest.getInstance("MD5").digest(data);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        Checksums.Expected crc = new Checksums.Expected(ChecksumAlgorithm.CRC32C, ChecksumAlgorithm.CRC32C.compute(data));
        assertThat(read(new VerifyingInputStream(new ByteArrayInputStream(data), data.length, Optional.of(sha),
                Optional.of(md5), Optional.of(crc)))).isNull();
        byte[] other = data.clone();
        other[0] = 'T';
        assertThat(read(new VerifyingInputStream(new ByteArrayInputStream(other), data.length, Optional.of(sha),
                Optional.empty(), Optional.empty()))).isEqualTo(S3ErrorCode.X_AMZ_CONTENT_SHA256_MISMATCH);
        assertThat(read(new VerifyingInputStream(new ByteArrayInputStream(other), data.length, Optional.empty(),
                Optional.of(md5), Optional.empty()))).isEqualTo(S3ErrorCode.BAD_DIGEST);
        assertThat(read(new VerifyingInputStream(new ByteArrayInputStream(other), data.length, Optional.empty(),
                Optional.empty(), Optional.of(crc)))).isEqualTo(S3ErrorCode.BAD_DIGEST);
        assertThat(read(new VerifyingInputStream(new ByteArrayInputStream(data), data.length + 1, Optional.empty(),
                Optional.empty(), Optional.empty()))).isEqualTo(S3ErrorCode.INCOMPLETE_BODY);
        assertThat(read(new VerifyingInputStream(new ByteArrayInputStream(data), data.length - 1, Optional.empty(),
                Optional.empty(), Optional.empty()))).isEqualTo(S3ErrorCode.INVALID_ARGUMENT);
        assertThat(Base64.getEncoder().encodeToString(md5)).hasSize(24);
    }

    static S3ErrorCode read(InputStream in) {
        return code(() -> in.readAllBytes());
    }

    interface Call {
        void run() throws Exception;
    }

    static S3ErrorCode code(Call c) {
        try {
            c.run();
        } catch (S3Exception e) {
            return e.code();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return null;
    }

    @Test
    void unknownTrailerAlgorithmIsRefused() {
        assertThatThrownBy(() -> io.keel.s3.payload.Payloads.open(new io.keel.s3.auth.Authentication.Anonymous(),
                new io.keel.s3.auth.SigV4Request("PUT", "/b/k", "", Map.of(
                        "x-amz-content-sha256", List.of("STREAMING-UNSIGNED-PAYLOAD-TRAILER"),
                        "x-amz-decoded-content-length", List.of("0"),
                        "x-amz-trailer", List.of("x-amz-checksum-md5"))), new ByteArrayInputStream(new byte[0])))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.code()).isEqualTo(S3ErrorCode.INVALID_ARGUMENT));
    }
}
