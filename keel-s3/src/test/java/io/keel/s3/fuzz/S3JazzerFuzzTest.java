package io.keel.s3.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.keel.s3.address.Addressing;
import io.keel.s3.address.S3Address;
import io.keel.s3.auth.AuthorizationHeader;
import io.keel.s3.auth.ChunkSigner;
import io.keel.s3.auth.SigV4Crypto;
import io.keel.s3.auth.SigV4Request;
import io.keel.s3.auth.SigV4Verifier;
import io.keel.s3.error.S3Exception;
import io.keel.s3.payload.AwsChunkedInputStream;
import io.keel.s3.payload.ChecksumAlgorithm;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Coverage-guided fuzz targets. Under plain {@code mvn test} each runs once per stored input in
 * {@code S3JazzerFuzzTestInputs/<method>/} (regression mode); {@code JAZZER_FUZZ=1 mvn test
 * -Dtest=S3JazzerFuzzTest} fuzzes for real. The only acceptable failure is an {@link S3Exception}:
 * anything else would be a 500 (or worse, a hung connection) caused by a client's bytes.
 */
class S3JazzerFuzzTest {
    private static final Addressing ADDRESSING = new Addressing(List.of("s3.example.com"));

    @FuzzTest(maxDuration = "30s")
    void chunkedDecoder(FuzzedDataProvider data) throws IOException {
        boolean signed = data.consumeBoolean();
        boolean trailer = !signed || data.consumeBoolean();
        ChecksumAlgorithm alg = trailer && data.consumeBoolean()
                ? data.pickValue(ChecksumAlgorithm.values()) : null;
        long decoded = data.consumeLong(0, 1 << 16);
        ChunkSigner signer = signed ? new ChunkSigner(SigV4Crypto.signingKey("s", "20260101", "r", "s3"),
                "20260101T000000Z", "20260101/r/s3/aws4_request", "0".repeat(64)) : null;
        byte[] body = data.consumeRemainingAsBytes();
        InputStream in = new AwsChunkedInputStream(new ByteArrayInputStream(body), signer, trailer,
                Optional.ofNullable(alg), decoded);
        byte[] buf = new byte[257];
        long total = 0;
        try {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                total += n;
            }
            assertThat(total).isEqualTo(decoded);
        } catch (S3Exception expected) {
            // A malformed, truncated or forged body: answered with an S3 error.
        }
    }

    @FuzzTest(maxDuration = "30s")
    void addressing(FuzzedDataProvider data) {
        String host = data.consumeString(300);
        String path = data.consumeRemainingAsString();
        try {
            S3Address a = ADDRESSING.resolve(host, path);
            assertThat(a.resource()).startsWith("/");
        } catch (S3Exception expected) {
            // Not a path we can map to a bucket and key.
        }
    }

    @FuzzTest(maxDuration = "30s")
    void authorization(FuzzedDataProvider data) {
        String header = data.consumeString(2000);
        try {
            AuthorizationHeader.parse(header);
        } catch (S3Exception expected) {
            // Malformed or unsupported.
        }
        SigV4Verifier verifier = new SigV4Verifier(k -> Optional.of("secret"),
                Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
        SigV4Request request = new SigV4Request(data.consumeString(8), "/" + data.consumeString(200),
                data.consumeString(600), Map.of("Authorization", List.of(header),
                        "x-amz-date", List.of(data.consumeString(20)),
                        "x-amz-content-sha256", List.of(data.consumeRemainingAsString())));
        try {
            verifier.verify(request);
        } catch (S3Exception expected) {
            // Almost every fuzzed request fails verification; it must fail as an S3 error.
        }
    }
}
