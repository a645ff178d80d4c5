package io.keel.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.node.embedded.ApiSession;
import io.keel.node.embedded.Poll;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Issue 8 on a real 3-node cluster: an S3 cluster created through the API on every node, a user
 * and key from the API, then the AWS SDK for Java v2 against the gateways - path-style over HTTP
 * and virtual-hosted style over HTTPS with the generated certificate, objects written through one
 * gateway read through the others, multipart, versioning, presigned URLs, aws-chunked uploads
 * with trailing checksums; Debian's awscli, rclone and s3cmd scripted; request metrics; and a
 * gateway killed with {@code kill -9} in the middle of uploads, after which the clients' retries
 * against another gateway succeed and every completed object reads back intact.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class S3ClusterIT {
    private static final String ENDPOINT = "s3.keel.test";
    private static final int MIB = 1 << 20;

    @TempDir
    static Path dir;

    static LocalCluster cluster;
    static ApiSession api;
    static int httpBase;
    static int httpsBase;
    static String accessKey;
    static String secretKey;
    static String certificatePem;

    @BeforeAll
    static void up() throws Exception {
        cluster = LocalCluster.start(dir, 3, "3s", "10m");
        api = cluster.api(1);
        created(api.post("/api/v1/policies", Map.of("name", "two", "replicas", 2, "failureDomain", "host")));
        // Node i's gateway listens on the cluster's ports + (i - 1) (s3.portOffset of the embedded nodes).
        httpBase = freeRun(3);
        httpsBase = freeRun(3);
        JsonNode s3 = created(api.post("/api/v1/s3/cluster", Map.of("nodes", List.of("node1", "node2", "node3"),
                "policy", "two", "endpoints", List.of(ENDPOINT), "protocol", "BOTH", "httpPort", httpBase,
                "httpsPort", httpsBase, "selfSignedCertificate", true)));
        certificatePem = s3.path("certificatePem").asText();
        assertThat(certificatePem).contains("BEGIN CERTIFICATE");
        JsonNode user = created(api.post("/api/v1/s3/users", Map.of("email", "alice@example.com")));
        JsonNode key = created(api.post("/api/v1/s3/keys", Map.of("user", user.path("id").asText())));
        accessKey = key.path("accessKeyId").asText();
        secretKey = key.path("secretAccessKey").asText();
        for (int node = 1; node <= 3; node++) {
            int port = httpBase + node - 1;
            Poll.until(Duration.ofSeconds(60), "node" + node + "'s S3 gateway answering", () -> answers(port));
        }
    }

    @AfterAll
    static void down() throws IOException {
        if (cluster != null) {
            cluster.close("S3ClusterIT");
        }
    }

    @Test
    @Order(1)
    void anonymousRequestToTheRootIsAccessDenied() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + httpBase + "/")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("<Code>AccessDenied</Code>");
    }

    @Test
    @Order(2)
    void objectsWrittenThroughOneGatewayReadThroughTheOthers() {
        byte[] small = bytes(1, 4096);
        byte[] large = bytes(2, 9 * MIB + 123);
        try (S3Client one = client(1); S3Client two = client(2); S3Client three = client(3)) {
            one.createBucket(b -> b.bucket("photos"));
            one.putObject(b -> b.bucket("photos").key("a/small.jpg").metadata(Map.of("colour", "red")),
                    RequestBody.fromBytes(small));
            // The SDK's default for PutObject: aws-chunked with a trailing CRC32 over plain HTTP.
            one.putObject(b -> b.bucket("photos").key("a/large.bin").checksumAlgorithm(ChecksumAlgorithm.CRC32),
                    RequestBody.fromBytes(large));
            assertThat(two.getObjectAsBytes(b -> b.bucket("photos").key("a/small.jpg")).asByteArray()).isEqualTo(small);
            ResponseBytes<GetObjectResponse> got = three.getObjectAsBytes(b -> b.bucket("photos").key("a/large.bin"));
            assertThat(got.asByteArray()).isEqualTo(large);
            assertThat(three.headObject(b -> b.bucket("photos").key("a/small.jpg")).metadata())
                    .containsEntry("colour", "red");
            byte[] range = two.getObjectAsBytes(b -> b.bucket("photos").key("a/large.bin").range("bytes=5000000-5000099"))
                    .asByteArray();
            assertThat(range).isEqualTo(java.util.Arrays.copyOfRange(large, 5_000_000, 5_000_100));

            // A GET that began before an overwrite reads the old version to its end: the gateway
            // that wrote it trims the old range only after a grace period (ADR 0056).
            byte[] before = bytes(3, 24 * MIB);
            one.putObject(b -> b.bucket("photos").key("b/stream.bin"), RequestBody.fromBytes(before));
            try (var streaming = three.getObject(b -> b.bucket("photos").key("b/stream.bin"))) {
                byte[] head = streaming.readNBytes(MIB);
                one.putObject(b -> b.bucket("photos").key("b/stream.bin"), RequestBody.fromBytes(bytes(4, 2 * MIB)));
                byte[] rest = streaming.readAllBytes();
                assertThat(head).isEqualTo(java.util.Arrays.copyOfRange(before, 0, MIB));
                assertThat(rest).isEqualTo(java.util.Arrays.copyOfRange(before, MIB, before.length));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            assertThat(two.getObjectAsBytes(b -> b.bucket("photos").key("b/stream.bin")).asByteArray())
                    .isEqualTo(bytes(4, 2 * MIB));
            assertThat(three.listObjectsV2(b -> b.bucket("photos").prefix("a/")).contents())
                    .extracting(o -> o.key()).containsExactly("a/large.bin", "a/small.jpg");
            assertThat(two.listBuckets().buckets()).extracting(b -> b.name()).contains("photos");
            one.deleteObject(b -> b.bucket("photos").key("a/small.jpg"));
            assertThatThrownBy(() -> three.getObject(b -> b.bucket("photos").key("a/small.jpg")))
                    .isInstanceOf(NoSuchKeyException.class);
            assertThatThrownBy(() -> two.deleteBucket(b -> b.bucket("photos")))
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode())
                            .isEqualTo("BucketNotEmpty"));
        }
    }

    @Test
    @Order(3)
    void multipartAndVersioningAcrossGateways() throws Exception {
        byte[] part1 = bytes(3, 5 * MIB);
        byte[] part2 = bytes(4, 2 * MIB + 7);
        try (S3Client one = client(1); S3Client two = client(2)) {
            one.createBucket(b -> b.bucket("backups"));
            String upload = one.createMultipartUpload(b -> b.bucket("backups").key("db.dump")).uploadId();
            String e1 = one.uploadPart(b -> b.bucket("backups").key("db.dump").uploadId(upload).partNumber(1),
                    RequestBody.fromBytes(part1)).eTag();
            // Parts of one upload through different gateways, as a retrying client may send them.
            String e2 = two.uploadPart(b -> b.bucket("backups").key("db.dump").uploadId(upload).partNumber(2),
                    RequestBody.fromBytes(part2)).eTag();
            assertThat(two.listParts(b -> b.bucket("backups").key("db.dump").uploadId(upload)).parts()).hasSize(2);
            String etag = two.completeMultipartUpload(b -> b.bucket("backups").key("db.dump").uploadId(upload)
                    .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(e1).build(),
                            CompletedPart.builder().partNumber(2).eTag(e2).build()))).eTag();
            assertThat(etag).endsWith("-2\"");
            byte[] whole = new byte[part1.length + part2.length];
            System.arraycopy(part1, 0, whole, 0, part1.length);
            System.arraycopy(part2, 0, whole, part1.length, part2.length);
            assertThat(one.getObjectAsBytes(b -> b.bucket("backups").key("db.dump")).asByteArray()).isEqualTo(whole);

            one.putBucketVersioning(b -> b.bucket("backups").versioningConfiguration(
                    v -> v.status(BucketVersioningStatus.ENABLED)));
            // As on AWS, a versioning change reaches the other gateways a moment later: node2
            // answers from its metadata replica.
            Poll.until(Duration.ofSeconds(10), "versioning in force on node2", () -> quietly(() -> two
                    .getBucketVersioning(b -> b.bucket("backups")).status() == BucketVersioningStatus.ENABLED));
            String v1 = one.putObject(b -> b.bucket("backups").key("notes.txt"), RequestBody.fromString("first"))
                    .versionId();
            String v2 = two.putObject(b -> b.bucket("backups").key("notes.txt"), RequestBody.fromString("second"))
                    .versionId();
            assertThat(v1).isNotEqualTo(v2);
            two.deleteObject(b -> b.bucket("backups").key("notes.txt"));
            assertThatThrownBy(() -> one.getObject(b -> b.bucket("backups").key("notes.txt")))
                    .isInstanceOf(NoSuchKeyException.class);
            assertThat(one.getObjectAsBytes(b -> b.bucket("backups").key("notes.txt").versionId(v1)).asUtf8String())
                    .isEqualTo("first");
            assertThat(two.listObjectVersions(b -> b.bucket("backups").prefix("notes")).versions())
                    .extracting(v -> v.versionId()).containsExactlyInAnyOrder(v1, v2);
        }
    }

    @Test
    @Order(4)
    void presignedUrlsAndHttpsWithVirtualHostedStyle() throws Exception {
        try (S3Client tls = client(2, true);
                S3Presigner presigner = S3Presigner.builder().endpointOverride(URI.create("http://127.0.0.1:" + httpBase))
                        .region(Region.US_EAST_1).serviceConfiguration(S3Configuration.builder()
                                .pathStyleAccessEnabled(true).build())
                        .credentialsProvider(credentials()).build()) {
            tls.createBucket(b -> b.bucket("secure"));
            tls.putObject(b -> b.bucket("secure").key("doc.txt"), RequestBody.fromString("over TLS"));
            URI get = presigner.presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                    .getObjectRequest(g -> g.bucket("secure").key("doc.txt"))).url().toURI();
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(get).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("over TLS");
            HttpResponse<String> tampered = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(get.toString().replace("doc.txt", "other.txt"))).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(tampered.statusCode()).isEqualTo(403);
            assertThat(tampered.body()).contains("SignatureDoesNotMatch");
        }
    }

    @Test
    @Order(5)
    void theOtherObjectAndBucketOperationsOnTheRealCluster() throws Exception {
        try (S3Client one = client(1); S3Client three = client(3)) {
            one.createBucket(b -> b.bucket("docs"));
            String etag = one.putObject(b -> b.bucket("docs").key("a.txt").contentType("text/plain"),
                    RequestBody.fromString("alpha")).eTag();
            // Conditional reads and copies with metadata directives.
            assertThatThrownBy(() -> three.getObject(b -> b.bucket("docs").key("a.txt").ifNoneMatch(etag)))
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(304));
            assertThatThrownBy(() -> three.getObject(b -> b.bucket("docs").key("a.txt").ifMatch("\"nope\"")))
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
            three.copyObject(b -> b.sourceBucket("docs").sourceKey("a.txt").destinationBucket("docs").destinationKey("b.txt")
                    .metadataDirective("REPLACE").metadata(Map.of("origin", "copy")).contentType("text/markdown"));
            var head = one.headObject(b -> b.bucket("docs").key("b.txt"));
            assertThat(head.metadata()).containsEntry("origin", "copy");
            assertThat(head.contentType()).isEqualTo("text/markdown");
            // Tags on objects and buckets, ListObjects v1 with a marker, DeleteObjects.
            one.putObjectTagging(b -> b.bucket("docs").key("b.txt").tagging(t -> t.tagSet(
                    software.amazon.awssdk.services.s3.model.Tag.builder().key("team").value("ops").build())));
            assertThat(three.getObjectTagging(b -> b.bucket("docs").key("b.txt")).tagSet())
                    .extracting(t -> t.key() + "=" + t.value()).containsExactly("team=ops");
            one.putBucketTagging(b -> b.bucket("docs").tagging(t -> t.tagSet(
                    software.amazon.awssdk.services.s3.model.Tag.builder().key("cost").value("42").build())));
            // Bucket configuration is read from each gateway's metadata replica: the writing gateway
            // sees it at once, the others within moments (as S3 documents for bucket settings).
            assertThat(one.getBucketTagging(b -> b.bucket("docs")).tagSet()).hasSize(1);
            for (int i = 0; i < 5; i++) {
                int n = i;
                one.putObject(b -> b.bucket("docs").key("many/" + n), RequestBody.fromString("m" + n));
            }
            var page = three.listObjects(b -> b.bucket("docs").prefix("many/").marker("many/1").maxKeys(2));
            assertThat(page.contents()).extracting(o -> o.key()).containsExactly("many/2", "many/3");
            assertThat(page.isTruncated()).isTrue();
            var deleted = one.deleteObjects(b -> b.bucket("docs").delete(d -> d.objects(
                    software.amazon.awssdk.services.s3.model.ObjectIdentifier.builder().key("many/0").build(),
                    software.amazon.awssdk.services.s3.model.ObjectIdentifier.builder().key("many/1").build())));
            assertThat(deleted.deleted()).hasSize(2);
            assertThat(three.listObjectsV2(b -> b.bucket("docs").prefix("many/")).keyCount()).isEqualTo(3);
            // Multipart: UploadPartCopy from an existing object, list and abort uploads.
            byte[] big = bytes(9, 6 * MIB);
            one.putObject(b -> b.bucket("docs").key("big.bin"), RequestBody.fromBytes(big));
            String u = three.createMultipartUpload(b -> b.bucket("docs").key("joined.bin")).uploadId();
            String p1 = three.uploadPartCopy(b -> b.sourceBucket("docs").sourceKey("big.bin").destinationBucket("docs")
                    .destinationKey("joined.bin").uploadId(u).partNumber(1).copySourceRange("bytes=0-5242879"))
                    .copyPartResult().eTag();
            String p2 = one.uploadPart(b -> b.bucket("docs").key("joined.bin").uploadId(u).partNumber(2),
                    RequestBody.fromString("tail")).eTag();
            String abandoned = one.createMultipartUpload(b -> b.bucket("docs").key("never.bin")).uploadId();
            assertThat(three.listMultipartUploads(b -> b.bucket("docs")).uploads()).extracting(x -> x.uploadId())
                    .contains(u, abandoned);
            one.abortMultipartUpload(b -> b.bucket("docs").key("never.bin").uploadId(abandoned));
            three.completeMultipartUpload(b -> b.bucket("docs").key("joined.bin").uploadId(u).multipartUpload(m -> m.parts(
                    CompletedPart.builder().partNumber(1).eTag(p1).build(),
                    CompletedPart.builder().partNumber(2).eTag(p2).build())));
            byte[] joined = one.getObjectAsBytes(b -> b.bucket("docs").key("joined.bin")).asByteArray();
            assertThat(joined).hasSize(5 * MIB + 4);
            assertThat(java.util.Arrays.copyOf(joined, 5 * MIB)).isEqualTo(java.util.Arrays.copyOf(big, 5 * MIB));
            assertThat(three.listMultipartUploads(b -> b.bucket("docs")).uploads()).isEmpty();
            // A public-read policy lets anonymous GETs through any gateway; CORS answers a preflight.
            one.putBucketPolicy(b -> b.bucket("docs").policy("""
                    {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*",
                     "Action":"s3:GetObject","Resource":"arn:aws:s3:::docs/*"}]}"""));
            URI publicUri = URI.create("http://127.0.0.1:" + (httpBase + 1) + "/docs/a.txt");
            Poll.until(Duration.ofSeconds(10), "the policy in force on node2", () -> quietly(() -> fetch(publicUri).statusCode() == 200));
            assertThat(fetch(publicUri).body()).isEqualTo("alpha");
            assertThat(fetch(URI.create("http://127.0.0.1:" + (httpBase + 1) + "/photos/a/large.bin")).statusCode())
                    .isEqualTo(403);
            one.putBucketCors(b -> b.bucket("docs").corsConfiguration(c -> c.corsRules(
                    software.amazon.awssdk.services.s3.model.CORSRule.builder().allowedOrigins("https://app.example.com")
                            .allowedMethods("GET", "PUT").allowedHeaders("*").maxAgeSeconds(600).build())));
            HttpRequest preflightRequest = HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + (httpBase + 2) + "/docs/a.txt"))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                    .header("Origin", "https://app.example.com").header("Access-Control-Request-Method", "PUT").build();
            Poll.until(Duration.ofSeconds(10), "the CORS rules in force on node3", () -> quietly(() -> HttpClient.newHttpClient()
                    .send(preflightRequest, HttpResponse.BodyHandlers.ofString()).statusCode() == 200));
            HttpResponse<String> preflight = HttpClient.newHttpClient().send(preflightRequest,
                    HttpResponse.BodyHandlers.ofString());
            assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example.com");
            assertThat(one.getBucketLocation(b -> b.bucket("docs")).locationConstraintAsString()).isNullOrEmpty();
        }
    }

    @Test
    @Order(6)
    void debianClientsSmoke() throws Exception {
        Path work = Files.createDirectories(dir.resolve("smoke"));
        Path script = work.resolve("s3-clients-smoke.sh");
        try (var in = S3ClusterIT.class.getResourceAsStream("/s3-clients-smoke.sh")) {
            Files.copy(in, script);
        }
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), work.toString()).redirectErrorStream(true);
        pb.environment().put("S3_ENDPOINT", "http://127.0.0.1:" + (httpBase + 2));
        pb.environment().put("S3_ACCESS_KEY", accessKey);
        pb.environment().put("S3_SECRET_KEY", secretKey);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("all S3 clients passed");
    }

    @Test
    @Order(7)
    void requestMetricsByOperation() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(cluster.node(1).apiUrl() + "/metrics")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.body()).containsPattern("keel_s3_requests_seconds_count\\{operation=\"PutObject\",status=\"200\"\\} [1-9]")
                .containsPattern("keel_s3_requests_seconds_bucket\\{operation=\"GetObject\"")
                .containsPattern("keel_s3_bytes_in_bytes_total\\{operation=\"PutObject\"\\} [1-9]");
    }

    @Test
    @Order(8)
    void aGatewayKilledDuringUploadsLosesNoCompletedObject() throws Exception {
        try (S3Client setup = client(1)) {
            setup.createBucket(b -> b.bucket("ingest"));
        }
        Map<String, String> completed = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int id = w;
            writers.add(Thread.ofPlatform().start(() -> {
                // Writers start on node2's gateway and move to node3's after a failure, as a client
                // with several endpoints does.
                int gateway = 2;
                S3Client c = client(gateway);
                for (int i = 0; !stop.get(); i++) {
                    String key = "w" + id + "/o" + i;
                    byte[] data = bytes(id * 100_000 + i, 64 * 1024 + i);
                    for (int attempt = 0; ; attempt++) {
                        try {
                            c.putObject(b -> b.bucket("ingest").key(key), RequestBody.fromBytes(data));
                            completed.put(key, sha256(data));
                            break;
                        } catch (RuntimeException e) {
                            if (attempt >= 20 || stop.get()) {
                                break;
                            }
                            if (gateway == 2) {
                                c.close();
                                gateway = 3;
                                c = client(gateway);
                            }
                        }
                    }
                }
                c.close();
            }));
        }
        Poll.until(Duration.ofSeconds(60), "uploads under way", () -> completed.size() >= 20);
        cluster.kill9(2);
        int atKill = completed.size();
        Poll.until(Duration.ofSeconds(120), "uploads completing through node3 after the kill",
                () -> completed.size() >= atKill + 40);
        stop.set(true);
        for (Thread t : writers) {
            t.join(Duration.ofMinutes(2));
        }
        try (S3Client reader = client(1)) {
            for (Map.Entry<String, String> e : completed.entrySet()) {
                byte[] got = reader.getObjectAsBytes(b -> b.bucket("ingest").key(e.getKey())).asByteArray();
                assertThat(sha256(got)).as(e.getKey()).isEqualTo(e.getValue());
            }
        }
    }

    // --- helpers ---

    private static S3Client client(int node) {
        return client(node, false);
    }

    /** Path-style over HTTP, or virtual-hosted style over HTTPS trusting the generated certificate. */
    private static S3Client client(int node, boolean tls) {
        ApacheHttpClient.Builder http = ApacheHttpClient.builder()
                // Every name under the endpoint is this machine, as DNS would say in production.
                .dnsResolver(host -> new InetAddress[] {InetAddress.getLoopbackAddress()});
        if (tls) {
            http.tlsTrustManagersProvider(() -> trust(certificatePem));
        }
        URI endpoint = URI.create(tls ? "https://" + ENDPOINT + ":" + (httpsBase + node - 1)
                : "http://" + ENDPOINT + ":" + (httpBase + node - 1));
        return S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(credentials())
                .forcePathStyle(!tls).httpClientBuilder(http).build();
    }

    private static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
    }

    private static javax.net.ssl.TrustManager[] trust(String pem) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int i = 0;
            for (var cert : CertificateFactory.getInstance("X.509").generateCertificates(
                    new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                store.setCertificateEntry("s3-" + i++, (X509Certificate) cert);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            return tmf.getTrustManagers();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** For polls: a condition that cannot be evaluated yet (a refused connection) is not met. */
    private static boolean quietly(java.util.concurrent.Callable<Boolean> condition) {
        try {
            return condition.call();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    private static HttpResponse<String> fetch(URI uri) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static boolean answers(int port) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/")).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 403;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** {@code count} consecutive free ports. */
    private static int freeRun(int count) throws IOException {
        Random random = new Random();
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = 20_000 + random.nextInt(30_000);
            boolean free = true;
            for (int p = base; p < base + count && free; p++) {
                try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
                    s.setReuseAddress(true);
                } catch (IOException e) {
                    free = false;
                }
            }
            if (free) {
                return base;
            }
        }
        throw new IOException("no run of " + count + " free ports found");
    }

    private static byte[] bytes(long seed, int n) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode created(ApiSession.Reply r) {
        assertThat(r.status()).as(r.message()).isEqualTo(201);
        return r.body();
    }
}
