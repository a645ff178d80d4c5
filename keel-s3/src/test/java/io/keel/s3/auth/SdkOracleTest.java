package io.keel.s3.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.s3.SdkSigner;
import io.keel.s3.SdkSigner.Options;
import io.keel.s3.SdkSigner.Signed;
import io.keel.s3.address.UriCodec;
import io.keel.s3.error.S3ErrorCode;
import io.keel.s3.error.S3Exception;
import io.keel.s3.payload.Payloads;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.checksums.DefaultChecksumAlgorithm;

/** Requests signed by the AWS SDK's own signer must verify; tampered ones must fail with the right code. */
class SdkOracleTest {
    static final Instant NOW = Instant.parse("2026-12-03T10:20:30Z");
    static final String HOST = "http://photos.s3.example.com";
    /** S3Presigner leaves the payload unsigned; the SDK only does that over https. */
    static final String HTTPS = "https://photos.s3.example.com";

    static SigV4Verifier verifier(Instant now) {
        return new SigV4Verifier(k -> k.equals(SdkSigner.ACCESS_KEY) ? Optional.of(SdkSigner.SECRET) : Optional.empty(),
                Clock.fixed(now, ZoneOffset.UTC), Set.of(), SigV4Verifier.DEFAULT_MAX_SKEW);
    }

    static byte[] readBody(Signed s, Instant now) throws Exception {
        Authentication a = verifier(now).verify(s.request());
        try (InputStream in = Payloads.open(a, s.request(), new ByteArrayInputStream(s.body()))) {
            return in.readAllBytes();
        }
    }

    static S3ErrorCode failure(Signed s, Instant now) {
        try {
            readBody(s, now);
        } catch (S3Exception e) {
            return e.code();
        } catch (Exception e) {
            throw new AssertionError("not an S3 error", e);
        }
        throw new AssertionError("accepted");
    }

    @Test
    void headerSignedRandomRequestsVerify() throws Exception {
        Random rnd = new Random(20261203);
        for (int i = 0; i < 150; i++) {
            String key = randomKey(rnd);
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("x-amz-meta-note", "  spaced   out\tvalue ");
            if (rnd.nextBoolean()) {
                headers.put("Content-Type", "text/plain; charset=utf-8");
            }
            if (rnd.nextBoolean()) {
                headers.put("Range", "bytes=0-" + rnd.nextInt(1000));
            }
            String query = rnd.nextBoolean() ? "" : "?prefix=" + UriCodec.encode(randomKey(rnd), false) + "&max-keys=" + rnd.nextInt(1000) + "&versions";
            byte[] body = new byte[rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(5000)];
            rnd.nextBytes(body);
            boolean pathStyle = rnd.nextBoolean();
            String uri = (pathStyle ? "http://s3.example.com/photos/" : HOST + "/") + UriCodec.encode(key, true) + query;
            Signed s = SdkSigner.sign(body.length > 0 ? "PUT" : "GET", uri, headers, body, Options.header(NOW));
            assertThat(readBody(s, NOW)).as("request %d %s", i, uri).isEqualTo(body);
            Authentication.Signed a = (Authentication.Signed) verifier(NOW).verify(s.request());
            assertThat(a.accessKeyId()).isEqualTo(SdkSigner.ACCESS_KEY);
            assertThat(a.location()).isEqualTo(Authentication.Location.HEADER);
            assertThat(a.payload()).isInstanceOf(PayloadMode.Sha256.class);
        }
    }

    static String randomKey(Random rnd) {
        String alphabet = "abcXYZ019-_.~!*'()&$@=;:+ ,?/%#[]{}^`|\\\"<>éü日本🙂";
        StringBuilder b = new StringBuilder();
        int n = 1 + rnd.nextInt(20);
        for (int i = 0; i < n; i++) {
            b.appendCodePoint(alphabet.codePointAt(alphabet.offsetByCodePoints(0, rnd.nextInt(alphabet.codePointCount(0, alphabet.length())))));
        }
        return b.toString();
    }

    @Test
    void unsignedPayloadOverHttpsVerifies() throws Exception {
        byte[] body = "unsigned body".getBytes();
        Signed s = SdkSigner.sign("PUT", "https://photos.s3.example.com/a.txt", Map.of(), body,
                Options.header(NOW).withPayloadSigning(false));
        assertThat(s.request().header("x-amz-content-sha256")).contains("UNSIGNED-PAYLOAD");
        assertThat(readBody(s, NOW)).isEqualTo(body);
    }

    @Test
    void presignedUrlVerifiesUntilItExpires() throws Exception {
        Signed s = SdkSigner.sign("GET", HTTPS + "/dir/a%20b.txt?response-content-type=text%2Fplain",
                Map.of(), null, Options.header(NOW).presigned(Duration.ofMinutes(10)).withPayloadSigning(false));
        assertThat(s.request().header("authorization")).isEmpty();
        Authentication.Signed a = (Authentication.Signed) verifier(NOW.plusSeconds(599)).verify(s.request());
        assertThat(a.location()).isEqualTo(Authentication.Location.QUERY);
        assertThat(a.payload()).isInstanceOf(PayloadMode.Unsigned.class);
        assertThatThrownBy(() -> verifier(NOW.plusSeconds(601)).verify(s.request()))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.code()).isEqualTo(S3ErrorCode.ACCESS_DENIED);
                    assertThat(e.getMessage()).isEqualTo("Request has expired");
                });
        assertThat(code(() -> verifier(NOW.minusSeconds(3600)).verify(s.request()))).isEqualTo(S3ErrorCode.ACCESS_DENIED);
    }

    @Test
    void presignedTampering() {
        Signed s = SdkSigner.sign("GET", HTTPS + "/k", Map.of("x-amz-meta-a", "1"), null,
                Options.header(NOW).presigned(Duration.ofDays(7)).withPayloadSigning(false));
        SigV4Request r = s.request();
        assertThat(code(() -> verifier(NOW).verify(new SigV4Request(r.method(), "/other", r.rawQuery(), r.headers()))))
                .isEqualTo(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
        assertThat(code(() -> verifier(NOW).verify(new SigV4Request(r.method(), r.rawPath(),
                r.rawQuery().replace("X-Amz-Expires=604800", "X-Amz-Expires=604801"), r.headers()))))
                .isEqualTo(S3ErrorCode.AUTHORIZATION_QUERY_PARAMETERS_ERROR);
        assertThat(code(() -> verifier(NOW).verify(new SigV4Request("PUT", r.rawPath(), r.rawQuery(), r.headers()))))
                .isEqualTo(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
        assertThat(code(() -> verifier(NOW).verify(SdkSigner.withHeader(r, "x-amz-meta-a", "2"))))
                .isEqualTo(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
        assertThat(code(() -> verifier(NOW).verify(SdkSigner.withHeader(r, "x-amz-acl", "public-read"))))
                .isEqualTo(S3ErrorCode.ACCESS_DENIED);
    }

    @Test
    void presignBeyondSevenDaysIsRefused() {
        Signed s = SdkSigner.sign("GET", HOST + "/k", Map.of(), null, Options.header(NOW).presigned(Duration.ofDays(7)).withPayloadSigning(false));
        SigV4Request r = s.request();
        SigV4Request tooLong = new SigV4Request(r.method(), r.rawPath(),
                r.rawQuery().replace("X-Amz-Expires=604800", "X-Amz-Expires=999999"), r.headers());
        assertThat(code(() -> verifier(NOW).verify(tooLong))).isEqualTo(S3ErrorCode.AUTHORIZATION_QUERY_PARAMETERS_ERROR);
    }

    @Test
    void headerTampering() {
        byte[] body = "some object data".getBytes();
        Signed s = SdkSigner.sign("PUT", HOST + "/obj", Map.of("x-amz-meta-owner", "alice"), body, Options.header(NOW));
        // One byte of the body.
        byte[] flipped = body.clone();
        flipped[3] ^= 1;
        assertThat(failure(new Signed(s.request(), flipped), NOW)).isEqualTo(S3ErrorCode.X_AMZ_CONTENT_SHA256_MISMATCH);
        // One header.
        assertThat(failure(new Signed(SdkSigner.withHeader(s.request(), "x-amz-meta-owner", "mallory"), body), NOW))
                .isEqualTo(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
        // An unsigned x-amz-* header slipped in.
        assertThat(failure(new Signed(SdkSigner.withHeader(s.request(), "x-amz-acl", "public-read"), body), NOW))
                .isEqualTo(S3ErrorCode.ACCESS_DENIED);
        // The clock is 20 minutes off, either way.
        assertThat(failure(s, NOW.plus(Duration.ofMinutes(20)))).isEqualTo(S3ErrorCode.REQUEST_TIME_TOO_SKEWED);
        assertThat(failure(s, NOW.minus(Duration.ofMinutes(20)))).isEqualTo(S3ErrorCode.REQUEST_TIME_TOO_SKEWED);
        assertThat(code(() -> readBody(s, NOW.plus(Duration.ofMinutes(14))))).isNull();
        // A different x-amz-date than the one signed (same day: the scope still matches).
        assertThat(failure(new Signed(SdkSigner.withHeader(s.request(), "x-amz-date", "20261203T102031Z"), body), NOW))
                .isEqualTo(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
        // A date on another day than the credential scope.
        assertThat(failure(new Signed(SdkSigner.withHeader(s.request(), "x-amz-date", "20261202T235959Z"), body), NOW))
                .isEqualTo(S3ErrorCode.AUTHORIZATION_HEADER_MALFORMED);
        // The wrong secret, and a key we do not know.
        Signed wrongSecret = SdkSigner.sign("PUT", HOST + "/obj", Map.of(), body, Options.header(NOW).withSecret("nope"));
        assertThat(failure(wrongSecret, NOW)).isEqualTo(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
        SigV4Request r = s.request();
        String auth = r.header("authorization").orElseThrow().replace(SdkSigner.ACCESS_KEY, "AKIAUNKNOWN");
        assertThat(failure(new Signed(SdkSigner.withHeader(r, "authorization", auth), body), NOW))
                .isEqualTo(S3ErrorCode.INVALID_ACCESS_KEY_ID);
        String otherService = r.header("authorization").orElseThrow().replace("/s3/", "/ec2/");
        assertThat(failure(new Signed(SdkSigner.withHeader(r, "authorization", otherService), body), NOW))
                .isEqualTo(S3ErrorCode.AUTHORIZATION_HEADER_MALFORMED);
    }

    @Test
    void regionsOutsideTheClusterListAreRefused() {
        Signed s = SdkSigner.sign("GET", HOST + "/k", Map.of(), null, Options.header(NOW));
        SigV4Verifier only = new SigV4Verifier(k -> Optional.of(SdkSigner.SECRET), Clock.fixed(NOW, ZoneOffset.UTC),
                Set.of("keel-1"), SigV4Verifier.DEFAULT_MAX_SKEW);
        assertThat(code(() -> only.verify(s.request()))).isEqualTo(S3ErrorCode.AUTHORIZATION_HEADER_MALFORMED);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 8191, 131072, 131073, 300_000})
    void signedChunkedUploadsVerify(int size) throws Exception {
        byte[] body = new Random(size).ints(size).collect(java.io.ByteArrayOutputStream::new,
                (o, v) -> o.write(v), (a, b) -> a.writeBytes(b.toByteArray())).toByteArray();
        Signed s = SdkSigner.sign("PUT", HOST + "/big", Map.of(), body, Options.header(NOW).chunked(null));
        assertThat(s.request().header("x-amz-content-sha256")).contains(PayloadMode.STREAMING_SIGNED);
        assertThat(readBody(s, NOW)).isEqualTo(body);
    }

    @ParameterizedTest
    @ValueSource(strings = {"CRC32", "CRC32C", "SHA1", "SHA256"})
    void signedChunkedWithTrailingChecksumVerifies(String algorithm) throws Exception {
        byte[] body = new byte[200_000];
        new Random(7).nextBytes(body);
        Signed s = SdkSigner.sign("PUT", HOST + "/t", Map.of(), body,
                Options.header(NOW).chunked(sdkAlgorithm(algorithm)));
        assertThat(s.request().header("x-amz-content-sha256")).contains(PayloadMode.STREAMING_SIGNED_TRAILER);
        assertThat(readBody(s, NOW)).isEqualTo(body);
    }

    @ParameterizedTest
    @ValueSource(strings = {"CRC32", "CRC32C", "SHA1", "SHA256"})
    void unsignedChunkedWithTrailingChecksumVerifies(String algorithm) throws Exception {
        byte[] body = new byte[150_000];
        new Random(8).nextBytes(body);
        Signed s = SdkSigner.sign("PUT", "https://photos.s3.example.com/t", Map.of(), body,
                Options.header(NOW).withPayloadSigning(false).chunked(sdkAlgorithm(algorithm)));
        assertThat(s.request().header("x-amz-content-sha256")).contains(PayloadMode.STREAMING_UNSIGNED_TRAILER);
        assertThat(readBody(s, NOW)).isEqualTo(body);
        // Unsigned chunks: a flipped data byte is caught by the trailing checksum.
        byte[] tampered = s.body().clone();
        int at = indexOf(tampered, "\r\n".getBytes()) + 2 + 1000;
        tampered[at] ^= 0x20;
        assertThat(failure(new Signed(s.request(), tampered), NOW)).isEqualTo(S3ErrorCode.BAD_DIGEST);
    }

    @Test
    void chunkedTampering() {
        byte[] body = new byte[140_000];
        new Random(9).nextBytes(body);
        Signed s = SdkSigner.sign("PUT", HOST + "/t", Map.of(), body,
                Options.header(NOW).chunked(DefaultChecksumAlgorithm.CRC32C));
        byte[] wire = s.body();
        // One data byte in the second chunk.
        byte[] t1 = wire.clone();
        t1[wire.length - 400] ^= 1;
        // The trailing checksum value (its signature no longer matches).
        byte[] t2 = wire.clone();
        int c = indexOf(t2, "x-amz-checksum-crc32c:".getBytes()) + "x-amz-checksum-crc32c:".length();
        t2[c] = (byte) (t2[c] == 'A' ? 'B' : 'A');
        // A chunk signature digit.
        byte[] t3 = wire.clone();
        int sig = indexOf(t3, "chunk-signature=".getBytes()) + 20;
        t3[sig] = (byte) (t3[sig] == 'a' ? 'b' : 'a');
        for (byte[] t : new byte[][] {t1, t2, t3}) {
            assertThat(failure(new Signed(s.request(), t), NOW)).isEqualTo(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
        }
        // Truncated before the final chunk.
        byte[] t4 = java.util.Arrays.copyOf(wire, wire.length - 150);
        assertThat(failure(new Signed(s.request(), t4), NOW)).isEqualTo(S3ErrorCode.INCOMPLETE_BODY);
        // A decoded length that disagrees with the body (the header is signed, so re-sign with it).
        assertThat(failure(new Signed(SdkSigner.withHeader(s.request(), "x-amz-decoded-content-length", "139999"), wire), NOW))
                .isEqualTo(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    static software.amazon.awssdk.checksums.spi.ChecksumAlgorithm sdkAlgorithm(String name) {
        return switch (name) {
            case "CRC32" -> DefaultChecksumAlgorithm.CRC32;
            case "CRC32C" -> DefaultChecksumAlgorithm.CRC32C;
            case "SHA1" -> DefaultChecksumAlgorithm.SHA1;
            case "SHA256" -> DefaultChecksumAlgorithm.SHA256;
            default -> throw new IllegalArgumentException(name);
        };
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
}
