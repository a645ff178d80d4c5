package io.keel.s3.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.s3.payload.Payloads;
import java.io.ByteArrayOutputStream;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The worked examples of the S3 SigV4 documentation (example credentials, 2013-05-24). */
class AwsExamplesTest {
    static final String KEY = "AKIAIOSFODNN7EXAMPLE";
    static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    static final SigV4Verifier VERIFIER = new SigV4Verifier(k -> k.equals(KEY) ? Optional.of(SECRET) : Optional.empty(),
            Clock.fixed(Instant.parse("2013-05-24T00:05:00Z"), ZoneOffset.UTC));

    @Test
    void getObjectWithRange() throws Exception {
        SigV4Request r = new SigV4Request("GET", "/test.txt", "", Map.of(
                "Host", List.of("examplebucket.s3.amazonaws.com"),
                "Range", List.of("bytes=0-9"),
                "x-amz-content-sha256", List.of(SigV4Crypto.EMPTY_SHA256),
                "x-amz-date", List.of("20130524T000000Z"),
                "Authorization", List.of("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
                        + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
                        + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")));
        assertThat(VERIFIER.verify(r)).isInstanceOfSatisfying(Authentication.Signed.class,
                s -> assertThat(s.accessKeyId()).isEqualTo(KEY));
    }

    @Test
    void canonicalQueryIsSortedAndEncoded() throws Exception {
        QueryParams q = QueryParams.parse("prefix=a%20b%2F&max-keys=2&acl&list-type=2&X-Amz-Signature=x&b=2&b=1");
        assertThat(CanonicalRequest.canonicalQuery(q, "X-Amz-Signature"))
                .isEqualTo("acl=&b=1&b=2&list-type=2&max-keys=2&prefix=a%20b%2F");
        assertThat(CanonicalRequest.canonicalUri("")).isEqualTo("/");
        assertThat(CanonicalRequest.canonicalUri("/a/./b//c%7e!")).isEqualTo("/a/./b//c~%21");
        assertThat(CanonicalRequest.collapse("  a   b \t c  ")).isEqualTo("a b c");
    }

    @Test
    void streamingPutChunkChain() throws Exception {
        byte[] a64k = new byte[65536];
        Arrays.fill(a64k, (byte) 'a');
        byte[] a1k = Arrays.copyOf(a64k, 1024);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes("10000;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\r\n".getBytes(StandardCharsets.US_ASCII));
        wire.writeBytes(a64k);
        wire.writeBytes("\r\n400;chunk-signature=0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497\r\n".getBytes(StandardCharsets.US_ASCII));
        wire.writeBytes(a1k);
        wire.writeBytes("\r\n0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        SigV4Request r = new SigV4Request("PUT", "/examplebucket/chunkObject.txt", "", Map.of(
                "Host", List.of("s3.amazonaws.com"),
                "x-amz-date", List.of("20130524T000000Z"),
                "x-amz-storage-class", List.of("REDUCED_REDUNDANCY"),
                "x-amz-content-sha256", List.of("STREAMING-AWS4-HMAC-SHA256-PAYLOAD"),
                "Content-Encoding", List.of("aws-chunked"),
                "x-amz-decoded-content-length", List.of("66560"),
                "Content-Length", List.of("66824"),
                "Authorization", List.of("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
                        + "SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,"
                        + "Signature=4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9")));
        assertThat(wire.size()).isEqualTo(66824);
        Authentication a = VERIFIER.verify(r);
        try (InputStream in = Payloads.open(a, r, new ByteArrayInputStream(wire.toByteArray()))) {
            assertThat(in.readAllBytes()).hasSize(66560).containsOnly('a');
        }
    }
}
