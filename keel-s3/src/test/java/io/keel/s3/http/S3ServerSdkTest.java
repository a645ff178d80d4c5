package io.keel.s3.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.*;

/** The AWS SDK for Java v2 against the real server: buckets, objects, listings, copy, tagging, presigning. */
public class S3ServerSdkTest extends SdkTestBase {
    @Test
    void bucketsLifecycleAndErrors() {
        path.createBucket(b -> b.bucket("life"));
        assertThat(path.listBuckets().buckets()).extracting(Bucket::name).contains("life");
        assertThat(code(() -> path.createBucket(b -> b.bucket("life")))).isEqualTo("BucketAlreadyOwnedByYou");
        try (S3Client bob = h.client("AKIDBOB", true)) {
            assertThat(code(() -> bob.createBucket(b -> b.bucket("life")))).isEqualTo("BucketAlreadyExists");
            assertThat(code(() -> bob.listObjectsV2(b -> b.bucket("life")))).isEqualTo("AccessDenied");
            assertThat(bob.listBuckets().buckets()).isEmpty();
        }
        assertThat(code(() -> path.createBucket(b -> b.bucket("xn--reserved")))).isEqualTo("InvalidBucketName");
        path.headBucket(b -> b.bucket("life"));
        assertThat(status(() -> path.headBucket(b -> b.bucket("nope")))).isEqualTo(404);
        assertThat(path.getBucketLocation(b -> b.bucket("life")).locationConstraintAsString()).isEqualTo("keel-1");
        path.putObject(b -> b.bucket("life").key("k"), RequestBody.fromString("x"));
        assertThat(code(() -> path.deleteBucket(b -> b.bucket("life")))).isEqualTo("BucketNotEmpty");
        path.deleteObject(b -> b.bucket("life").key("k"));
        path.deleteBucket(b -> b.bucket("life"));
        assertThat(code(() -> path.listObjects(b -> b.bucket("life")))).isEqualTo("NoSuchBucket");
        path.createBucket(b -> b.bucket("located").createBucketConfiguration(c -> c.locationConstraint("keel-1")));
        assertThat(code(() -> path.createBucket(b -> b.bucket("elsewhere").createBucketConfiguration(
                c -> c.locationConstraint("eu-west-1"))))).isEqualTo("IllegalLocationConstraintException");
        assertThat(status(() -> path.headObject(b -> b.bucket("located").key("x").expectedBucketOwner("bob"))))
                .isEqualTo(403);
        assertThat(code(() -> path.listObjectsV2(b -> b.bucket("located").expectedBucketOwner("bob"))))
                .isEqualTo("AccessDenied");
        path.listObjectsV2(b -> b.bucket("located").expectedBucketOwner("alice"));
    }

    @Test
    void listBucketsPages() {
        for (String n : List.of("page-a", "page-b", "page-c")) {
            path.createBucket(b -> b.bucket(n));
        }
        List<String> names = path.listBucketsPaginator(b -> b.prefix("page-").maxBuckets(2)).buckets().stream()
                .map(Bucket::name).toList();
        assertThat(names).containsExactly("page-a", "page-b", "page-c");
    }

    @Test
    void unsupportedWriteFeaturesAreRefusedNotIgnored() {
        path.createBucket(b -> b.bucket("nofeat"));
        assertThat(code(() -> path.putObject(b -> b.bucket("nofeat").key("k").sseCustomerAlgorithm("AES256")
                .sseCustomerKey("MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=").sseCustomerKeyMD5("x"),
                RequestBody.fromString("x")))).isEqualTo("NotImplemented");
        assertThat(code(() -> path.putObject(b -> b.bucket("nofeat").key("k").storageClass(StorageClass.GLACIER),
                RequestBody.fromString("x")))).isEqualTo("NotImplemented");
        assertThat(code(() -> path.putObject(b -> b.bucket("nofeat").key("k").ifNoneMatch("*"),
                RequestBody.fromString("x")))).isEqualTo("NotImplemented");
        assertThat(code(() -> path.getObjectAsBytes(b -> b.bucket("nofeat").key("k")))).isEqualTo("NoSuchKey");
    }

    @Test
    void putGetHeadWithMetadataChecksumsBothAddressingStyles() {
        path.createBucket(b -> b.bucket("objs"));
        byte[] data = bytes(300_000, 1);
        PutObjectResponse put = vhost.putObject(b -> b.bucket("objs").key("dir/a b+c.bin").contentType("image/png")
                .metadata(Map.of("color", "blue")).checksumAlgorithm(ChecksumAlgorithm.SHA256), RequestBody.fromBytes(data));
        assertThat(put.checksumSHA256()).isNotNull();
        ResponseBytes<GetObjectResponse> got = path.getObjectAsBytes(b -> b.bucket("objs").key("dir/a b+c.bin")
                .checksumMode(ChecksumMode.ENABLED));
        assertThat(got.asByteArray()).isEqualTo(data);
        assertThat(got.response().contentType()).isEqualTo("image/png");
        assertThat(got.response().metadata()).containsEntry("color", "blue");
        assertThat(got.response().eTag()).isEqualTo(put.eTag());
        HeadObjectResponse head = vhost.headObject(b -> b.bucket("objs").key("dir/a b+c.bin"));
        assertThat(head.contentLength()).isEqualTo(data.length);
        // Default SDK uploads are aws-chunked with a CRC32 trailer (signed chunks over HTTP).
        path.putObject(b -> b.bucket("objs").key("crc"), RequestBody.fromBytes(bytes(70_000, 2)));
        assertThat(path.getObjectAsBytes(b -> b.bucket("objs").key("crc")).asByteArray()).isEqualTo(bytes(70_000, 2));
        assertThat(code(() -> path.getObjectAsBytes(b -> b.bucket("objs").key("missing")))).isEqualTo("NoSuchKey");
        assertThat(code(() -> path.putObject(b -> b.bucket("objs").key("md5").contentMD5("1B2M2Y8AsgTpgAmY7PhCfg=="),
                RequestBody.fromString("not empty")))).isEqualTo("BadDigest");
    }

    @Test
    void rangesAndConditionals() {
        path.createBucket(b -> b.bucket("ranges"));
        byte[] data = bytes(1000, 3);
        String etag = path.putObject(b -> b.bucket("ranges").key("r"), RequestBody.fromBytes(data)).eTag();
        var part = path.getObjectAsBytes(b -> b.bucket("ranges").key("r").range("bytes=10-19"));
        assertThat(part.asByteArray()).isEqualTo(java.util.Arrays.copyOfRange(data, 10, 20));
        assertThat(part.response().contentRange()).isEqualTo("bytes 10-19/1000");
        assertThat(path.getObjectAsBytes(b -> b.bucket("ranges").key("r").range("bytes=-5")).asByteArray())
                .isEqualTo(java.util.Arrays.copyOfRange(data, 995, 1000));
        assertThat(path.getObjectAsBytes(b -> b.bucket("ranges").key("r").range("bytes=990-")).asByteArray())
                .isEqualTo(java.util.Arrays.copyOfRange(data, 990, 1000));
        assertThat(code(() -> path.getObjectAsBytes(b -> b.bucket("ranges").key("r").range("bytes=1000-"))))
                .isEqualTo("InvalidRange");
        assertThatThrownBy(() -> path.getObjectAsBytes(b -> b.bucket("ranges").key("r").range("bytes=5000-6000")))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(416);
                    assertThat(e.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("Content-Range"))
                            .contains("bytes */1000");
                });
        assertThat(status(() -> path.getObjectAsBytes(b -> b.bucket("ranges").key("r").ifNoneMatch(etag))))
                .isEqualTo(304);
        assertThat(code(() -> path.getObjectAsBytes(b -> b.bucket("ranges").key("r").ifMatch("\"abc\""))))
                .isEqualTo("PreconditionFailed");
        assertThat(path.getObjectAsBytes(b -> b.bucket("ranges").key("r").ifMatch(etag)).asByteArray()).isEqualTo(data);
        Instant past = Instant.now().minusSeconds(3600);
        Instant future = Instant.now().plusSeconds(3600);
        assertThat(code(() -> path.getObjectAsBytes(b -> b.bucket("ranges").key("r").ifUnmodifiedSince(past))))
                .isEqualTo("PreconditionFailed");
        assertThat(status(() -> path.getObjectAsBytes(b -> b.bucket("ranges").key("r").ifModifiedSince(future))))
                .isEqualTo(304);
    }

    @Test
    void listingV1AndV2WithPagingAndDelimiter() {
        path.createBucket(b -> b.bucket("lists"));
        List<String> keys = List.of("a/1", "a/2", "b/1", "c", "d", "e/x/y");
        for (String k : keys) {
            path.putObject(b -> b.bucket("lists").key(k), RequestBody.fromString(k));
        }
        List<String> seen = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        String token = null;
        do {
            String t = token;
            ListObjectsV2Response r = path.listObjectsV2(b -> b.bucket("lists").delimiter("/").maxKeys(2)
                    .continuationToken(t));
            r.contents().forEach(o -> seen.add(o.key()));
            r.commonPrefixes().forEach(p -> prefixes.add(p.prefix()));
            token = r.isTruncated() ? r.nextContinuationToken() : null;
        } while (token != null);
        assertThat(seen).containsExactly("c", "d");
        assertThat(prefixes).containsExactly("a/", "b/", "e/");
        List<String> v1 = new ArrayList<>();
        String marker = null;
        do {
            String m = marker;
            ListObjectsResponse r = path.listObjects(b -> b.bucket("lists").maxKeys(4).marker(m));
            r.contents().forEach(o -> v1.add(o.key()));
            marker = r.isTruncated() ? r.contents().getLast().key() : null;
        } while (marker != null);
        assertThat(v1).containsExactlyElementsOf(keys);
        assertThat(path.listObjectsV2(b -> b.bucket("lists").prefix("a/").startAfter("a/1")).contents())
                .extracting(S3Object::key).containsExactly("a/2");
        assertThat(path.listObjectsV2Paginator(b -> b.bucket("lists").maxKeys(1)).contents().stream()
                .map(S3Object::key).toList()).containsExactlyElementsOf(keys);
        assertThat(path.listObjectsV2(b -> b.bucket("lists").fetchOwner(true)).contents().getFirst().owner().id())
                .isEqualTo("alice");
    }

    @Test
    void copyTaggingAndDeleteObjects() {
        path.createBucket(b -> b.bucket("copies"));
        path.putObject(b -> b.bucket("copies").key("src").metadata(Map.of("m", "1")).tagging("t=1"),
                RequestBody.fromString("source"));
        path.copyObject(b -> b.sourceBucket("copies").sourceKey("src").destinationBucket("copies").destinationKey("same"));
        assertThat(path.headObject(b -> b.bucket("copies").key("same")).metadata()).containsEntry("m", "1");
        path.copyObject(b -> b.sourceBucket("copies").sourceKey("src").destinationBucket("copies").destinationKey("new")
                .metadataDirective(MetadataDirective.REPLACE).metadata(Map.of("m", "2")));
        assertThat(path.headObject(b -> b.bucket("copies").key("new")).metadata()).containsEntry("m", "2");
        assertThat(path.getObjectAsBytes(b -> b.bucket("copies").key("new")).asUtf8String()).isEqualTo("source");
        assertThat(code(() -> path.copyObject(b -> b.sourceBucket("copies").sourceKey("src").destinationBucket("copies")
                .destinationKey("x").copySourceIfMatch("\"nope\"")))).isEqualTo("PreconditionFailed");
        assertThat(path.getObjectTagging(b -> b.bucket("copies").key("src")).tagSet())
                .containsExactly(Tag.builder().key("t").value("1").build());
        path.putObjectTagging(b -> b.bucket("copies").key("src").tagging(t -> t.tagSet(
                Tag.builder().key("k").value("v").build())));
        assertThat(path.getObjectTagging(b -> b.bucket("copies").key("src")).tagSet()).extracting(Tag::key)
                .containsExactly("k");
        path.deleteObjectTagging(b -> b.bucket("copies").key("src"));
        assertThat(path.getObjectTagging(b -> b.bucket("copies").key("src")).tagSet()).isEmpty();
        DeleteObjectsResponse del = path.deleteObjects(b -> b.bucket("copies").delete(d -> d.objects(
                ObjectIdentifier.builder().key("src").build(), ObjectIdentifier.builder().key("same").build())));
        assertThat(del.deleted()).extracting(DeletedObject::key).containsExactlyInAnyOrder("src", "same");
        DeleteObjectsResponse quiet = path.deleteObjects(b -> b.bucket("copies").delete(d -> d.quiet(true).objects(
                ObjectIdentifier.builder().key("new").build())));
        assertThat(quiet.deleted()).isEmpty();
        assertThat(path.listObjectsV2(b -> b.bucket("copies")).contents()).isEmpty();
    }

    @Test
    void presignedGetAndPut() throws Exception {
        path.createBucket(b -> b.bucket("presign"));
        try (var presigner = h.presigner()) {
            var put = presigner.presignPutObject(b -> b.signatureDuration(Duration.ofMinutes(5))
                    .putObjectRequest(p -> p.bucket("presign").key("p")));
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(put.url().toURI())
                    .PUT(HttpRequest.BodyPublishers.ofString("presigned body")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            var get = presigner.presignGetObject(b -> b.signatureDuration(Duration.ofMinutes(5))
                    .getObjectRequest(g -> g.bucket("presign").key("p")));
            HttpResponse<String> g = http.send(HttpRequest.newBuilder(get.url().toURI()).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(g.statusCode()).isEqualTo(200);
            assertThat(g.body()).isEqualTo("presigned body");
            URI tampered = URI.create(get.url().toString().replace("/p?", "/q?"));
            HttpResponse<String> bad = http.send(HttpRequest.newBuilder(tampered).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(bad.statusCode()).isEqualTo(403);
            assertThat(bad.body()).contains("<Code>SignatureDoesNotMatch</Code>");
        }
    }

    @Test
    void wrongSecretIsSignatureDoesNotMatchAndUnknownKeyIsInvalidAccessKeyId() {
        try (S3Client wrong = h.client("AKIDNOBODY", true)) {
            assertThat(code(wrong::listBuckets)).isEqualTo("InvalidAccessKeyId");
        }
        S3Client forged = S3Client.builder().endpointOverride(h.endpoint()).region(software.amazon.awssdk.regions.Region.of(S3Harness.REGION))
                .credentialsProvider(() -> software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("AKIDALICE", "nope"))
                .forcePathStyle(true).httpClientBuilder(h.http()).build();
        assertThat(code(forged::listBuckets)).isEqualTo("SignatureDoesNotMatch");
        forged.close();
        assertThat(StandardCharsets.UTF_8).isNotNull();
    }
}
