package io.keel.s3.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.s3.SdkSigner;
import io.keel.s3.error.S3ErrorCode;
import io.keel.s3.error.S3Exception;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VerifierEdgeTest {
    static final SigV4Verifier V = SigV4Clocks.verifier();
    static final String CRED = "Credential=" + SdkSigner.ACCESS_KEY + "/20261203/us-east-1/s3/aws4_request";

    static S3ErrorCode code(SigV4Request r) {
        try {
            V.verify(r);
            return null;
        } catch (S3Exception e) {
            return e.code();
        }
    }

    static SigV4Request req(String query, Map<String, String> headers) {
        Map<String, List<String>> h = new LinkedHashMap<>();
        headers.forEach((k, v) -> h.put(k, List.of(v)));
        return new SigV4Request("GET", "/b/k", query, h);
    }

    @Test
    void noCredentialsIsAnonymous() throws Exception {
        assertThat(V.verify(req("list-type=2", Map.of("Host", "s3.example.com")))).isInstanceOf(Authentication.Anonymous.class);
    }

    @Test
    void malformedAuthorizationHeaders() {
        String sig = "Signature=" + "0".repeat(64);
        Map<String, S3ErrorCode> cases = new LinkedHashMap<>();
        cases.put("AWS AKID:c2lnbmF0dXJl", S3ErrorCode.INVALID_REQUEST);
        cases.put("AWS4-ECDSA-P256-SHA256 " + CRED + ", SignedHeaders=host, " + sig, S3ErrorCode.INVALID_REQUEST);
        cases.put("AWS4-HMAC-SHA256", S3ErrorCode.AUTHORIZATION_HEADER_MALFORMED);
        cases.put("AWS4-HMAC-SHA256 " + CRED + ", " + sig, S3ErrorCode.AUTHORIZATION_HEADER_MALFORMED);
        cases.put("AWS4-HMAC-SHA256 " + CRED + ", SignedHeaders=x-amz-date;host, " + sig, S3ErrorCode.AUTHORIZATION_HEADER_MALFORMED);
        cases.put("AWS4-HMAC-SHA256 " + CRED + ", SignedHeaders=Host, " + sig, S3ErrorCode.AUTHORIZATION_HEADER_MALFORMED);
        cases.put("AWS4-HMAC-SHA256 " + CRED + ", SignedHeaders=host, " + sig + ", " + sig, S3ErrorCode.AUTHORIZATION_HEADER_MALFORMED);
        cases.put("AWS4-HMAC-SHA256 Credential=AKID/20261203/us-east-1/s3, SignedHeaders=host, " + sig, S3ErrorCode.AUTHORIZATION_HEADER_MALFORMED);
        cases.put("AWS4-HMAC-SHA256 " + CRED + ", SignedHeaders=x-amz-date, " + sig, S3ErrorCode.AUTHORIZATION_HEADER_MALFORMED);
        cases.put("AWS4-HMAC-SHA256 " + CRED.replace("aws4_request", "aws5_request") + ", SignedHeaders=host, " + sig,
                S3ErrorCode.AUTHORIZATION_HEADER_MALFORMED);
        cases.forEach((auth, expected) -> assertThat(code(req("", Map.of("Host", "s3.example.com",
                "x-amz-date", "20261203T102030Z", "x-amz-content-sha256", PayloadMode.UNSIGNED, "Authorization", auth))))
                .as(auth).isEqualTo(expected));
    }

    @Test
    void headerFormRules() {
        String auth = "AWS4-HMAC-SHA256 " + CRED + ",SignedHeaders=host;x-amz-date,Signature=" + "0".repeat(64);
        assertThat(code(req("", Map.of("Host", "h", "x-amz-date", "20261203T102030Z", "Authorization", auth))))
                .isEqualTo(S3ErrorCode.INVALID_REQUEST);
        assertThat(code(req("", Map.of("Host", "h", "Authorization", auth, "x-amz-content-sha256", PayloadMode.UNSIGNED))))
                .isEqualTo(S3ErrorCode.ACCESS_DENIED);
        assertThat(code(req("", Map.of("Host", "h", "x-amz-date", "2026-12-03T10:20:30Z", "Authorization", auth))))
                .isEqualTo(S3ErrorCode.ACCESS_DENIED);
        assertThat(code(req("", Map.of("Host", "h", "x-amz-date", "20261203T102030Z", "Authorization", auth,
                "x-amz-content-sha256", "deadbeef")))).isEqualTo(S3ErrorCode.ACCESS_DENIED);
        assertThat(code(req("X-Amz-Algorithm=AWS4-HMAC-SHA256", Map.of("Host", "h", "Authorization", auth))))
                .isEqualTo(S3ErrorCode.INVALID_ARGUMENT);
        assertThat(code(req("AWSAccessKeyId=AKID&Signature=abc&Expires=1", Map.of("Host", "h"))))
                .isEqualTo(S3ErrorCode.INVALID_REQUEST);
        assertThat(code(req("X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=00", Map.of("Host", "h"))))
                .isEqualTo(S3ErrorCode.AUTHORIZATION_QUERY_PARAMETERS_ERROR);
    }

    @Test
    void payloadDeclarations() throws Exception {
        assertThat(PayloadMode.parse("UNSIGNED-PAYLOAD")).isEqualTo(new PayloadMode.Unsigned());
        assertThat(PayloadMode.parse(SigV4Crypto.EMPTY_SHA256.toUpperCase())).isEqualTo(new PayloadMode.Sha256(SigV4Crypto.EMPTY_SHA256));
        assertThat(PayloadMode.parse(PayloadMode.STREAMING_UNSIGNED_TRAILER)).isEqualTo(new PayloadMode.Streaming(false, true));
        for (String bad : List.of("deadbeef", "", "STREAMING-UNSIGNED-PAYLOAD", "streaming-aws4-hmac-sha256-payload")) {
            try {
                PayloadMode.parse(bad);
                throw new AssertionError(bad);
            } catch (S3Exception e) {
                assertThat(e.code()).isEqualTo(S3ErrorCode.INVALID_ARGUMENT);
            }
        }
        try {
            PayloadMode.parse("STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD");
            throw new AssertionError();
        } catch (S3Exception e) {
            assertThat(e.code()).isEqualTo(S3ErrorCode.NOT_IMPLEMENTED);
        }
    }

    @Test
    void dateHeaderStandsInForXAmzDate() throws Exception {
        Map<String, List<String>> h = new LinkedHashMap<>();
        h.put("host", List.of("s3.example.com"));
        h.put("date", List.of("Thu, 03 Dec 2026 10:20:00 GMT"));
        h.put("x-amz-content-sha256", List.of(PayloadMode.UNSIGNED));
        SigV4Request unsigned = new SigV4Request("GET", "/b/k", "", h);
        List<String> signed = List.of("date", "host", "x-amz-content-sha256");
        String canonical = CanonicalRequest.build(unsigned, QueryParams.parse(""), null, signed, PayloadMode.UNSIGNED);
        String amzDate = AmzDate.formatBasic(Instant.parse("2026-12-03T10:20:00Z"));
        byte[] key = SigV4Crypto.signingKey(SdkSigner.SECRET, "20261203", "us-east-1", "s3");
        String sig = SigV4Crypto.sign(key, CanonicalRequest.stringToSign(amzDate, "20261203/us-east-1/s3/aws4_request", canonical));
        h.put("authorization", List.of("AWS4-HMAC-SHA256 " + CRED + ", SignedHeaders=date;host;x-amz-content-sha256, Signature=" + sig));
        assertThat(V.verify(new SigV4Request("GET", "/b/k", "", h))).isInstanceOf(Authentication.Signed.class);
    }
}
