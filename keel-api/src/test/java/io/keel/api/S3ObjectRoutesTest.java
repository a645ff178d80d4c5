package io.keel.api;

import static io.keel.api.HttpTestClient.json;
import static io.keel.api.LoggedInApi.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.api.dto.CreateS3BucketRequest;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The bucket browser's routes over real HTTP against an in-memory fake. */
class S3ObjectRoutesTest {
    private static final String BUCKETS = "/api/v1/s3/buckets";
    private static final FakeS3ObjectService s3 = new FakeS3ObjectService();
    private static final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static LoggedInApi api;

    @BeforeAll
    static void start() {
        api = new LoggedInApi(new FakeClusterService(), services -> services.withS3Objects(s3));
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @BeforeEach
    void reset() {
        s3.reset();
    }

    @Test
    void bucketsAreCreatedAndDeleted() {
        HttpResponse<String> created = api.send("POST", BUCKETS, "{\"name\":\"docs\",\"owner\":\"alice@example.com\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(json(created).get("name").asText()).isEqualTo("docs");
        assertThat(json(created).get("ownerEmail").asText()).isEqualTo("alice@example.com");
        assertThat(s3.calls).containsExactly(new CreateS3BucketRequest("docs", "alice@example.com"));
        assertError(api.send("POST", BUCKETS, "{\"name\":\"docs\",\"owner\":\"u-1\"}"), 409, "conflict",
                "bucket docs exists");
        assertThat(api.send("DELETE", BUCKETS + "/docs", null).statusCode()).isEqualTo(204);
        assertThat(s3.buckets).doesNotContainKey("docs");
    }

    @Test
    void usageIsTheServicesAndNeedsASession() {
        assertThat(api.http.send("GET", "/api/v1/s3/usage", null).statusCode()).isEqualTo(401);
        HttpResponse<String> r = api.send("GET", "/api/v1/s3/usage", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode u = json(r);
        assertThat(u.get("objects").asLong()).isEqualTo(2);
        assertThat(u.get("storedBytes").asLong()).isEqualTo(5000);
        assertThat(u.get("freeBytes").asLong()).isEqualTo(1L << 40);
        assertThat(u.get("perBucket").get(0).get("name").asText()).isEqualTo("photos");
        assertThat(u.get("unreadBuckets").get(0).asText()).isEqualTo("broken");
        assertThat(s3.calls).containsExactly("usage");
    }

    @Test
    void aLifecycleSweepIsTheServicesAndNeedsASession() {
        assertThat(api.http.send("POST", "/api/v1/s3/lifecycle/sweep", null).statusCode()).isEqualTo(401);
        assertThat(s3.calls).isEmpty();
        HttpResponse<String> r = api.send("POST", "/api/v1/s3/lifecycle/sweep", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode sweep = json(r);
        assertThat(sweep.get("buckets").asLong()).isEqualTo(2);
        assertThat(sweep.get("expired").asLong()).isEqualTo(3);
        assertThat(sweep.get("failedBuckets").asLong()).isZero();
        assertThat(s3.calls).containsExactly("sweepLifecycle");
    }

    @Test
    void aBucketRequestNeedsNameAndOwner() {
        assertError(api.send("POST", BUCKETS, "{\"owner\":\"u-1\"}"), 400, "invalid", "name is required");
        assertError(api.send("POST", BUCKETS, "{\"name\":\"docs\",\"owner\":\" \"}"), 400, "invalid", "owner is required");
        assertThat(api.send("POST", BUCKETS, "{\"name\":\"docs\",\"owner\":\"u-1\",\"region\":\"x\"}").statusCode())
                .isEqualTo(400);
        assertThat(s3.calls).isEmpty();
    }

    @Test
    void objectsGoUpAreListedComeDownAndAreDeleted() throws Exception {
        HttpResponse<String> put = raw("PUT", BUCKETS + "/photos/object?key=" + enc("a/b \"c\".txt"), "hello world!",
                "text/plain");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        assertThat(json(put).get("key").asText()).isEqualTo("a/b \"c\".txt");
        assertThat(json(put).get("sizeBytes").asLong()).isEqualTo(12);
        assertThat(json(put).get("etag").asText()).isEqualTo("\"etag-1\"");
        assertThat(s3.calls).containsExactly("put photos/a/b \"c\".txt text/plain 12");

        HttpResponse<String> list = api.send("GET", BUCKETS + "/photos/objects?prefix=a/&delimiter=/&limit=10", null);
        assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
        JsonNode o = json(list).get("objects").get(0);
        assertThat(o.get("key").asText()).isEqualTo("a/b \"c\".txt");
        assertThat(o.get("contentType").asText()).isEqualTo("text/plain");
        assertThat(o.get("lastModified").asText()).isEqualTo(FakeClusterService.T0.toString());
        assertThat(json(list).get("next").isNull()).isTrue();
        assertThat(json(list).get("prefixes")).isEmpty();
        assertThat(s3.calls).contains(new S3ObjectService.ObjectQuery("a/", "/", null, 10));

        HttpResponse<String> got = api.send("GET", BUCKETS + "/photos/object?key=" + enc("a/b \"c\".txt"), null);
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.body()).isEqualTo("hello world!");
        assertThat(got.headers().firstValue("Content-Type")).contains("text/plain");
        assertThat(got.headers().firstValue("Content-Length")).contains("12");
        assertThat(got.headers().firstValue("ETag")).contains("\"etag-1\"");
        assertThat(got.headers().firstValue("Content-Disposition")).contains(
                "attachment; filename=\"b _c_.txt\"; filename*=UTF-8''b%20%22c%22.txt");

        assertThat(api.send("DELETE", BUCKETS + "/photos/object?key=a/b%20%22c%22.txt", null).statusCode()).isEqualTo(204);
        assertThat(api.send("DELETE", BUCKETS + "/photos/object?key=a/b%20%22c%22.txt", null).statusCode()).isEqualTo(204);
        assertError(api.send("GET", BUCKETS + "/photos/object?key=a/b%20%22c%22.txt", null), 404, "not_found",
                "no object a/b \"c\".txt in bucket photos");
    }

    @Test
    void anUploadWithoutContentTypeIsOctetStream() throws Exception {
        HttpResponse<String> put = raw("PUT", BUCKETS + "/photos/object?key=x", "12345", null);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        assertThat(s3.calls).containsExactly("put photos/x application/octet-stream 5");
    }

    @Test
    void badQueriesAreRefusedBeforeTheService() {
        assertError(api.send("GET", BUCKETS + "/photos/object", null), 400, "invalid",
                "key is required: the object's key as a query parameter (?key=...)");
        assertError(api.send("DELETE", BUCKETS + "/photos/object?key=", null), 400, "invalid",
                "key is required: the object's key as a query parameter (?key=...)");
        assertError(api.send("GET", BUCKETS + "/photos/object?key=" + "é".repeat(513), null), 400, "invalid",
                "key is 1026 bytes long in UTF-8; S3 allows at most 1024");
        assertError(api.send("GET", BUCKETS + "/photos/objects?limit=0", null), 400, "invalid",
                "limit must be a whole number from 1 to 1000, not '0'");
        assertError(api.send("GET", BUCKETS + "/photos/objects?limit=1001", null), 400, "invalid",
                "limit must be a whole number from 1 to 1000, not '1001'");
        assertError(api.send("GET", BUCKETS + "/photos/objects?limit=ten", null), 400, "invalid",
                "limit must be a whole number from 1 to 1000, not 'ten'");
        assertThat(s3.calls).isEmpty();
        HttpResponse<String> ok = api.send("GET", BUCKETS + "/photos/object?key=" + "é".repeat(512), null);
        assertThat(ok.statusCode()).isEqualTo(404);
        assertThat(api.send("GET", BUCKETS + "/photos/objects", null).statusCode()).isEqualTo(200);
        assertThat(s3.calls).contains(new S3ObjectService.ObjectQuery("", "", null, 1000));
    }

    @Test
    void serviceErrorsComeBackAsJson() {
        assertError(api.send("GET", BUCKETS + "/nope/objects", null), 404, "not_found", "no bucket nope");
        assertError(api.send("GET", BUCKETS + "/elsewhere/object?key=k", null), 503, "unavailable",
                "node3 runs no S3 gateway; the S3 cluster's nodes are node1, node2");
        s3.buckets.get("photos").put("k", new FakeS3ObjectService.Stored(new byte[1], "x/y"));
        assertError(api.send("DELETE", BUCKETS + "/photos", null), 409, "conflict", "bucket photos is not empty");
    }

    @Test
    void everyRouteNeedsASession() {
        for (String[] r : new String[][] {{"POST", BUCKETS}, {"DELETE", BUCKETS + "/photos"},
                {"GET", BUCKETS + "/photos/objects"}, {"GET", BUCKETS + "/photos/object?key=k"},
                {"PUT", BUCKETS + "/photos/object?key=k"}, {"DELETE", BUCKETS + "/photos/object?key=k"}}) {
            HttpResponse<String> r1 = api.http.send(r[0], r[1], r[0].equals("GET") || r[0].equals("DELETE") ? null : "{}");
            assertThat(r1.statusCode()).as(r[0] + " " + r[1]).isEqualTo(401);
        }
        assertThat(s3.calls).isEmpty();
    }

    @Test
    void contentDispositionNamesTheLastSegmentSafely() {
        assertThat(S3ObjectRoutes.contentDisposition("a/b/report.pdf")).isEqualTo("attachment; filename=\"report.pdf\"");
        assertThat(S3ObjectRoutes.contentDisposition("dir/")).isEqualTo("attachment; filename=\"download\"");
        assertThat(S3ObjectRoutes.contentDisposition("x\\y\r\n.txt")).isEqualTo(
                "attachment; filename=\"x_y__.txt\"; filename*=UTF-8''x%5Cy%0D%0A.txt");
        assertThat(S3ObjectRoutes.contentDisposition("été.txt")).isEqualTo(
                "attachment; filename=\"_t_.txt\"; filename*=UTF-8''%C3%A9t%C3%A9.txt");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static HttpResponse<String> raw(String method, String path, String body, String contentType)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api.http.base() + path))
                .method(method, HttpRequest.BodyPublishers.ofString(body)).header("Authorization", api.authorization());
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
