package io.keel.s3.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** Raw HTTP against the server, plus HTTPS with the SDK (unsigned chunked payload with trailer). */
class S3ServerHttpTest {
    private static HttpResponse<String> send(S3Harness h, HttpRequest.Builder b) throws Exception {
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anonymousRootIsAccessDeniedWithRequestIds() throws Exception {
        try (S3Harness h = new S3Harness(false)) {
            HttpResponse<String> r = send(h, HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + h.server.port() + "/")));
            assertThat(r.statusCode()).isEqualTo(403);
            assertThat(r.body()).contains("<Code>AccessDenied</Code>").contains("<Resource>/</Resource>");
            assertThat(r.headers().firstValue("x-amz-request-id").orElseThrow()).matches("[0-9A-F]{16}");
            assertThat(r.headers().firstValue("x-amz-id-2")).isPresent();
        }
    }

    @Test
    void malformedXmlAndDoctypeAreRefused() throws Exception {
        try (S3Harness h = new S3Harness(false); S3Client c = h.client("AKIDALICE", true)) {
            c.createBucket(b -> b.bucket("xml"));
            for (String body : new String[] {"<Delete><Object><Key>a</Key>", "<?xml version=\"1.0\"?><!DOCTYPE x ["
                    + "<!ENTITY e SYSTEM \"file:///etc/passwd\">]><Delete><Object><Key>&e;</Key></Object></Delete>"}) {
                // Signed by the SDK's own signer through a raw request would need plumbing; the
                // gateway's checks come before authorisation for parsing, so drive the parser directly.
                assertThat(codeOf(body)).isEqualTo("MalformedXML");
            }
            HttpResponse<String> r = send(h, HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + h.server.port()
                    + "/xml?delete")).POST(HttpRequest.BodyPublishers.ofString("<Delete>")));
            assertThat(r.statusCode()).isEqualTo(403); // anonymous: refused before the body is parsed
        }
    }

    private static String codeOf(String xml) {
        try {
            io.keel.s3.xml.RequestBodies.delete(xml.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "none";
        } catch (io.keel.s3.error.S3Exception e) {
            return e.code().code();
        }
    }

    @Test
    void unsupportedSubresourceIsNotImplemented() throws Exception {
        try (S3Harness h = new S3Harness(false); S3Client c = h.client("AKIDALICE", true)) {
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
        try (S3Harness h = new S3Harness(true); S3Client c = h.client("AKIDALICE", false)) {
            c.createBucket(b -> b.bucket("tls"));
            byte[] data = new byte[200_000];
            new java.util.Random(9).nextBytes(data);
            c.putObject(b -> b.bucket("tls").key("k"), RequestBody.fromBytes(data));
            assertThat(c.getObjectAsBytes(b -> b.bucket("tls").key("k")).asByteArray()).isEqualTo(data);
        }
    }
}
