package io.keel.api;

import static io.keel.api.HttpTestClient.json;
import static io.keel.api.LoggedInApi.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.api.dto.CreateImageRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The image routes over real HTTP against {@link FakeImageService}, the upload streamed. */
class ImageRoutesTest {
    private static final FakeImageService images = new FakeImageService();
    private static LoggedInApi api;

    @BeforeAll
    static void start() {
        api = new LoggedInApi(new FakeClusterService(), services -> services.withImages(images));
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @AfterEach
    void reset() {
        images.reset();
    }

    @Test
    void createUploadShowListDelete() throws Exception {
        HttpResponse<String> created = api.send("POST", "/api/v1/images",
                "{\"name\":\"debian\",\"format\":\"qcow2\",\"osType\":\"linux\",\"shared\":true}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(json(created).get("status").asText()).isEqualTo("QUEUED");
        assertThat(json(created).get("shared").asBoolean()).isTrue();
        assertThat(images.calls.getFirst()).isEqualTo(new CreateImageRequest("debian", "qcow2", "linux", true, null));

        long size = 24L << 20;
        HttpResponse<String> uploaded = upload("debian", size);
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(200);
        JsonNode image = json(uploaded);
        assertThat(image.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(image.get("format").asText()).isEqualTo("qcow2");
        assertThat(image.get("sizeBytes").asLong()).isEqualTo(size);
        assertThat(image.get("volume").asText()).isEqualTo("image-debian");
        // The service saw the declared length and read the body a buffer at a time.
        assertThat(images.calls).contains("upload debian " + size);
        assertThat(images.largestRead).isLessThanOrEqualTo(64 << 10);

        assertThat(json(api.send("GET", "/api/v1/images/debian", null)).get("snapshot").asText()).isEqualTo("golden");
        assertThat(json(api.send("GET", "/api/v1/images", null)).get(0).get("name").asText()).isEqualTo("debian");
        assertThat(api.send("DELETE", "/api/v1/images/debian", null).statusCode()).isEqualTo(204);
        assertError(api.send("GET", "/api/v1/images/debian", null), 404, "not_found", "no image 'debian'");
    }

    @Test
    void refusalsKeepTheirStatusAndReason() throws Exception {
        assertError(api.send("POST", "/api/v1/images", "{\"name\":\"a b\"}"), 400, "invalid",
                "image name \"a b\" is not valid");
        api.send("POST", "/api/v1/images", "{\"name\":\"debian\"}");
        assertError(api.send("POST", "/api/v1/images", "{\"name\":\"debian\"}"), 409, "conflict",
                "an image named \"debian\" already exists");
        HttpResponse<String> typo = api.send("POST", "/api/v1/images", "{\"name\":\"x\",\"os\":\"linux\"}");
        assertThat(typo.statusCode()).isEqualTo(400);
        assertThat(json(typo).get("message").asText()).contains("unknown field \"os\"");
        assertError(upload("ghost", 10), 404, "not_found", "no image 'ghost'");
        assertError(uploadBytes("debian", "bad qcow2".getBytes()), 400, "invalid",
                "the file is not a valid qcow2 image: qemu-img check found 16 corruptions");
        images.failure = new ApiException(507, "insufficient_storage", "needs 10 GiB, 2 GiB free");
        assertError(upload("debian", 10), 507, "insufficient_storage", "needs 10 GiB, 2 GiB free");
    }

    @Test
    void routesNeedASessionAndUnservedAnswers503() {
        assertThat(api.http.get("/api/v1/images").statusCode()).isEqualTo(401);
        assertThat(api.http.send("PUT", "/api/v1/images/x/file", "data").statusCode()).isEqualTo(401);
        assertThat(images.calls).isEmpty();
        try (LoggedInApi plain = new LoggedInApi(new FakeClusterService(), services -> services)) {
            assertError(plain.send("GET", "/api/v1/images", null), 503, "unavailable",
                    "images are not served by this node");
        }
    }

    private static HttpResponse<String> upload(String image, long size) throws Exception {
        return put(image, HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(() -> new Zeros(size)), size));
    }

    private static HttpResponse<String> uploadBytes(String image, byte[] bytes) throws Exception {
        return put(image, HttpRequest.BodyPublishers.ofByteArray(bytes));
    }

    private static HttpResponse<String> put(String image, HttpRequest.BodyPublisher body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(api.http.base() + "/api/v1/images/" + image + "/file"))
                .timeout(Duration.ofSeconds(30)).header("Authorization", api.authorization())
                .header("Content-Type", "application/octet-stream").PUT(body).build();
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }

    /** {@code size} bytes of a qcow2-looking header then zeros, made up as they are read. */
    private static final class Zeros extends InputStream {
        private final byte[] head = {'Q', 'F', 'I', (byte) 0xfb};
        private long left;
        private final long size;

        Zeros(long size) {
            this.size = size;
            this.left = size;
        }

        @Override
        public int read() {
            if (left == 0) {
                return -1;
            }
            long at = size - left--;
            return at < head.length ? head[(int) at] & 0xff : 0;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left == 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) read();
            }
            return n;
        }
    }
}
