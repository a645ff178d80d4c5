package io.keel.s3.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.s3.SdkSigner;
import io.keel.s3.backend.S3Backend;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** Raw HTTP against the server, plus HTTPS with the SDK (unsigned chunked payload with trailer). */
public class S3ServerHttpTest {
    /** The storage under test; other modules override this to run these tests on their backend. */
    protected S3Backend newBackend(String region) {
        return new InMemoryBackend(Clock.systemUTC());
    }

    private S3Harness harness(boolean tls, String region) throws Exception {
        return new S3Harness(tls, region, newBackend(region));
    }

    private static HttpResponse<String> send(S3Harness h, HttpRequest.Builder b) throws Exception {
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anonymousRootIsAccessDeniedWithRequestIds() throws Exception {
        try (S3Harness h = harness(false, S3Harness.REGION)) {
            HttpResponse<String> r = send(h, HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + h.server.port() + "/")));
            assertThat(r.statusCode()).isEqualTo(403);
            assertThat(r.body()).contains("<Code>AccessDenied</Code>").contains("<Resource>/</Resource>");
            assertThat(r.headers().firstValue("x-amz-request-id").orElseThrow()).matches("[0-9A-F]{16}");
            assertThat(r.headers().firstValue("x-amz-id-2")).isPresent();
            HttpResponse<String> bucket = send(h, HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + h.server.port() + "/some-bucket/key")));
            assertThat(bucket.statusCode()).isEqualTo(403);
            assertThat(bucket.body()).contains("<Code>AccessDenied</Code>").contains("<Resource>/some-bucket/key</Resource>");
            HttpResponse<String> options = send(h, HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + h.server.port() + "/b")).method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
            assertThat(options.body()).contains("<Code>");
        }
    }

    @Test
    void malformedXmlAndDoctypeAreRefusedOnSignedRequests() throws Exception {
        try (S3Harness h = harness(false, "us-east-1")) {
            int port = h.server.port();
            assertThat(RawSigned.send(port, "PUT", "/xml", Map.of(), new byte[0], RawSigned.now()).statusCode())
                    .isEqualTo(200);
            for (String body : new String[] {"<Delete><Object><Key>a</Key>", "not xml at all",
                    "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                            + "<Delete><Object><Key>&e;</Key></Object></Delete>",
                    "<Delete>" + "<Object><Key>k</Key></Object>".repeat(1001) + "</Delete>"}) {
                HttpResponse<String> r = RawSigned.send(port, "POST", "/xml?delete", Map.of(),
                        body.getBytes(StandardCharsets.UTF_8), RawSigned.now());
                assertThat(r.statusCode()).as(body).isEqualTo(400);
                assertThat(r.body()).contains("<Code>MalformedXML</Code>").doesNotContain("root:");
            }
            HttpResponse<String> v = RawSigned.send(port, "PUT", "/xml?versioning", Map.of(),
                    "<VersioningConfiguration><Status>Maybe</Status></VersioningConfiguration>"
                            .getBytes(StandardCharsets.UTF_8), RawSigned.now());
            assertThat(v.body()).contains("<Code>IllegalVersioningConfigurationException</Code>");
        }
    }

    @Test
    void wrongSignatureAndTamperedBodyAreRefusedAndNothingBecomesVisible() throws Exception {
        try (S3Harness h = harness(false, "us-east-1")) {
            int port = h.server.port();
            RawSigned.send(port, "PUT", "/tamper", Map.of(), new byte[0], RawSigned.now());
            HttpResponse<String> wrong = RawSigned.send(port, "GET", "/tamper", Map.of(), new byte[0],
                    RawSigned.now().withSecret("not-the-secret"));
            assertThat(wrong.statusCode()).isEqualTo(403);
            assertThat(wrong.body()).contains("<Code>SignatureDoesNotMatch</Code>");
            byte[] body = "the signed body".getBytes(StandardCharsets.UTF_8);
            SdkSigner.Signed s = SdkSigner.sign("PUT", "http://127.0.0.1:" + port + "/tamper/obj", Map.of(), body,
                    RawSigned.now());
            byte[] tampered = body.clone();
            tampered[0] ^= 1;
            HttpResponse<String> r = RawSigned.send(port, s, tampered);
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).contains("<Code>XAmzContentSHA256Mismatch</Code>");
            HttpResponse<String> get = RawSigned.send(port, "GET", "/tamper/obj", Map.of(), new byte[0], RawSigned.now());
            assertThat(get.statusCode()).isEqualTo(404);
            // Same for a chunked upload whose trailer checksum lies: the object must not appear.
            SdkSigner.Signed c = SdkSigner.sign("PUT", "http://127.0.0.1:" + port + "/tamper/chunked", Map.of(),
                    body, RawSigned.now().chunked(software.amazon.awssdk.checksums.DefaultChecksumAlgorithm.CRC32));
            byte[] wire = c.body().clone();
            String text = new String(wire, StandardCharsets.ISO_8859_1);
            int at = text.indexOf("x-amz-checksum-crc32:") + "x-amz-checksum-crc32:".length();
            wire[at] = (byte) (wire[at] == 'A' ? 'B' : 'A');
            assertThat(RawSigned.send(port, c, wire).statusCode()).isIn(400, 403);
            assertThat(RawSigned.send(port, "GET", "/tamper/chunked", Map.of(), new byte[0], RawSigned.now())
                    .statusCode()).isEqualTo(404);
            assertThat(RawSigned.send(port, "PUT", "/tamper/ok", Map.of(), body, RawSigned.now()).statusCode())
                    .isEqualTo(200);
            assertThat(RawSigned.send(port, "GET", "/tamper/ok", Map.of(), new byte[0], RawSigned.now()).body())
                    .isEqualTo("the signed body");
        }
    }

    @Test
    void keysThatLookLikePathsSurviveUnnormalised() throws Exception {
        try (S3Harness h = harness(false, S3Harness.REGION); S3Client c = h.client("AKIDALICE", true)) {
            c.createBucket(b -> b.bucket("paths"));
            for (String key : new String[] {"a//b", "x/../y", "./dot", "slash%2Fencoded", "sp ace+plus", "ü/日本"}) {
                c.putObject(b -> b.bucket("paths").key(key), RequestBody.fromString(key));
                assertThat(c.getObjectAsBytes(b -> b.bucket("paths").key(key)).asUtf8String()).isEqualTo(key);
            }
            assertThat(c.listObjectsV2(b -> b.bucket("paths").encodingType("url")).contents()).hasSize(6);
        }
    }

    @Test
    void unsupportedSubresourceIsNotImplemented() throws Exception {
        try (S3Harness h = harness(false, S3Harness.REGION); S3Client c = h.client("AKIDALICE", true)) {
            c.createBucket(b -> b.bucket("sub"));
            int status;
            try {
                c.getBucketPolicy(b -> b.bucket("sub"));
                status = 200;
            } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
                status = e.statusCode();
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NotImplemented");
            }
            assertThat(status).isEqualTo(501);
        }
    }

    @Test
    void httpsServesTheSdkWithVirtualHostedAddressing() throws Exception {
        try (S3Harness h = harness(true, S3Harness.REGION); S3Client c = h.client("AKIDALICE", false)) {
            c.createBucket(b -> b.bucket("tls"));
            byte[] data = new byte[200_000];
            new java.util.Random(9).nextBytes(data);
            c.putObject(b -> b.bucket("tls").key("k"), RequestBody.fromBytes(data));
            assertThat(c.getObjectAsBytes(b -> b.bucket("tls").key("k")).asByteArray()).isEqualTo(data);
        }
    }
}
