package io.keel.s3.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Header values as clients sign them must reach the verifier as sent: rclone (Go) signs
 * {@code Content-Type: text/plain; charset=utf-8}, and a server that re-renders the media type
 * (dropping the space) computes another signature.
 */
class SignedHeaderValuesTest {
    @Test
    void aSignedContentTypeWithParametersVerifies() throws Exception {
        try (S3Harness h = new S3Harness(false, "us-east-1", new InMemoryBackend(Clock.systemUTC()))) {
            int port = h.server.port();
            assertThat(RawSigned.send(port, "PUT", "/texts", Map.of(), new byte[0], RawSigned.now()).statusCode())
                    .isEqualTo(200);
            for (String type : new String[] {"text/plain; charset=utf-8", "text/plain;charset=UTF-8",
                    "application/json;  charset=utf-8", "multipart/form-data; boundary=\"a b\""}) {
                HttpResponse<String> r = RawSigned.send(port, "PUT", "/texts/note.txt", Map.of("Content-Type", type),
                        "nested\n".getBytes(StandardCharsets.UTF_8), RawSigned.now());
                assertThat(r.statusCode()).as(type + ": " + r.body()).isEqualTo(200);
            }
        }
    }

    @Test
    void anotherMediaTypeThanTheSignedOneStillFails() throws Exception {
        try (S3Harness h = new S3Harness(false, "us-east-1", new InMemoryBackend(Clock.systemUTC()))) {
            int port = h.server.port();
            assertThat(RawSigned.send(port, "PUT", "/texts", Map.of(), new byte[0], RawSigned.now()).statusCode())
                    .isEqualTo(200);
            byte[] body = "nested\n".getBytes(StandardCharsets.UTF_8);
            io.keel.s3.SdkSigner.Signed signed = io.keel.s3.SdkSigner.sign("PUT", "http://127.0.0.1:" + port
                    + "/texts/note.txt", Map.of("Content-Type", "text/plain; charset=utf-8"), body, RawSigned.now());
            for (String forged : new String[] {"text/html; charset=utf-8", "text/plain; charset=iso-8859-1",
                    "text/plain"}) {
                HttpResponse<String> r = RawSigned.send(port, new io.keel.s3.SdkSigner.Signed(
                        io.keel.s3.SdkSigner.withHeader(signed.request(), "content-type", forged), signed.body()),
                        signed.body());
                assertThat(r.statusCode()).as(forged).isEqualTo(403);
                assertThat(r.body()).contains("SignatureDoesNotMatch");
            }
        }
    }
}
