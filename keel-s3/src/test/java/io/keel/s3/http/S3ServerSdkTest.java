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
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.*;

/** The AWS SDK for Java v2 against the real server over sockets (in-memory storage). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3ServerSdkTest {
    private S3Harness h;
    private S3Client path;
    private S3Client vhost;

    @BeforeAll
    void start() throws Exception {
        h = new S3Harness(false);
        path = h.client("AKIDALICE", true);
        vhost = h.client("AKIDALICE", false);
    }

    @AfterAll
    void stop() {
        path.close();
        vhost.close();
        h.close();
    }

    private static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static int status(Runnable r) {
        try {
            r.run();
        } catch (S3Exception e) {
            return e.statusCode();
        }
        return 200;
    }

    private static String code(Runnable r) {
        try {
            r.run();
        } catch (S3Exception e) {
            return e.awsErrorDetails().errorCode();
        }
        return "none";
    }

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
    void versioning() {
        path.createBucket(b -> b.bucket("vers"));
        path.putBucketVersioning(b -> b.bucket("vers").versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        assertThat(path.getBucketVersioning(b -> b.bucket("vers")).status()).isEqualTo(BucketVersioningStatus.ENABLED);
        String v1 = path.putObject(b -> b.bucket("vers").key("k"), RequestBody.fromString("one")).versionId();
        String v2 = path.putObject(b -> b.bucket("vers").key("k"), RequestBody.fromString("two")).versionId();
        assertThat(v1).isNotEqualTo(v2);
        assertThat(path.getObjectAsBytes(b -> b.bucket("vers").key("k").versionId(v1)).asUtf8String()).isEqualTo("one");
        DeleteObjectResponse d = path.deleteObject(b -> b.bucket("vers").key("k"));
        assertThat(d.deleteMarker()).isTrue();
        assertThat(code(() -> path.getObjectAsBytes(b -> b.bucket("vers").key("k")))).isEqualTo("NoSuchKey");
        ListObjectVersionsResponse list = path.listObjectVersions(b -> b.bucket("vers"));
        assertThat(list.versions()).extracting(ObjectVersion::versionId).containsExactly(v2, v1);
        assertThat(list.deleteMarkers()).hasSize(1).allMatch(DeleteMarkerEntry::isLatest);
        path.deleteObject(b -> b.bucket("vers").key("k").versionId(d.versionId()));
        assertThat(path.getObjectAsBytes(b -> b.bucket("vers").key("k")).asUtf8String()).isEqualTo("two");
        path.copyObject(b -> b.sourceBucket("vers").sourceKey("k").sourceVersionId(v1).destinationBucket("vers")
                .destinationKey("k"));
        assertThat(path.getObjectAsBytes(b -> b.bucket("vers").key("k")).asUtf8String()).isEqualTo("one");
    }

    @Test
    void versionAndUploadListingsPage() {
        path.createBucket(b -> b.bucket("vpages"));
        path.putBucketVersioning(b -> b.bucket("vpages").versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        List<String> expected = new ArrayList<>();
        for (String k : List.of("a", "b", "c")) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ids.addFirst(k + ":" + path.putObject(b -> b.bucket("vpages").key(k), RequestBody.fromString(k)).versionId());
            }
            expected.addAll(ids);
        }
        List<String> seen = new ArrayList<>();
        String keyMarker = null;
        String idMarker = null;
        boolean more = true;
        while (more) {
            String km = keyMarker;
            String im = idMarker;
            ListObjectVersionsResponse r = path.listObjectVersions(b -> b.bucket("vpages").maxKeys(2).keyMarker(km)
                    .versionIdMarker(im));
            r.versions().forEach(v -> seen.add(v.key() + ":" + v.versionId()));
            more = r.isTruncated();
            keyMarker = r.nextKeyMarker();
            idMarker = r.nextVersionIdMarker();
        }
        assertThat(seen).containsExactlyElementsOf(expected);
        // Suspended: writes replace the "null" version.
        path.putBucketVersioning(b -> b.bucket("vpages").versioningConfiguration(v -> v.status(BucketVersioningStatus.SUSPENDED)));
        assertThat(path.putObject(b -> b.bucket("vpages").key("n"), RequestBody.fromString("1")).versionId()).isEqualTo("null");
        path.putObject(b -> b.bucket("vpages").key("n"), RequestBody.fromString("2"));
        assertThat(path.listObjectVersions(b -> b.bucket("vpages").prefix("n")).versions()).hasSize(1);
        assertThat(path.getObjectAsBytes(b -> b.bucket("vpages").key("n").versionId("null")).asUtf8String()).isEqualTo("2");
        assertThat(code(() -> path.getObjectAsBytes(b -> b.bucket("vpages").key("a").versionId("v-none"))))
                .isEqualTo("NoSuchVersion");

        List<String> uploads = new ArrayList<>();
        for (String k : List.of("u1", "u2", "u3")) {
            uploads.add(path.createMultipartUpload(b -> b.bucket("vpages").key(k)).uploadId());
        }
        assertThat(path.listMultipartUploadsPaginator(b -> b.bucket("vpages").maxUploads(1)).uploads().stream()
                .map(MultipartUpload::uploadId).toList()).containsExactlyElementsOf(uploads);
        for (int n = 1; n <= 3; n++) {
            int pn = n;
            path.uploadPart(b -> b.bucket("vpages").key("u1").uploadId(uploads.getFirst()).partNumber(pn),
                    RequestBody.fromString("p" + pn));
        }
        assertThat(path.listPartsPaginator(b -> b.bucket("vpages").key("u1").uploadId(uploads.getFirst()).maxParts(2))
                .parts().stream().map(Part::partNumber).toList()).containsExactly(1, 2, 3);
        assertThat(code(() -> path.deleteBucket(b -> b.bucket("vpages")))).isEqualTo("BucketNotEmpty");
    }

    @Test
    void multipart() {
        path.createBucket(b -> b.bucket("mpu"));
        String id = path.createMultipartUpload(b -> b.bucket("mpu").key("big")).uploadId();
        byte[] p1 = bytes(5 * 1024 * 1024, 4);
        byte[] p2 = bytes(1234, 5);
        String e1 = path.uploadPart(b -> b.bucket("mpu").key("big").uploadId(id).partNumber(1), RequestBody.fromBytes(p1)).eTag();
        String e2 = path.uploadPart(b -> b.bucket("mpu").key("big").uploadId(id).partNumber(2), RequestBody.fromBytes(p2)).eTag();
        assertThat(path.listParts(b -> b.bucket("mpu").key("big").uploadId(id)).parts()).extracting(Part::partNumber)
                .containsExactly(1, 2);
        assertThat(path.listMultipartUploads(b -> b.bucket("mpu")).uploads()).extracting(MultipartUpload::uploadId)
                .containsExactly(id);
        assertThat(code(() -> path.completeMultipartUpload(b -> b.bucket("mpu").key("big").uploadId(id).multipartUpload(
                m -> m.parts(CompletedPart.builder().partNumber(2).eTag(e2).build(),
                        CompletedPart.builder().partNumber(1).eTag(e1).build()))))).isEqualTo("InvalidPartOrder");
        assertThat(code(() -> path.completeMultipartUpload(b -> b.bucket("mpu").key("big").uploadId(id).multipartUpload(
                m -> m.parts(CompletedPart.builder().partNumber(1).eTag("\"00\"").build()))))).isEqualTo("InvalidPart");
        assertThat(code(() -> path.completeMultipartUpload(b -> b.bucket("mpu").key("big").uploadId(id).multipartUpload(
                m -> m.parts(CompletedPart.builder().partNumber(1).eTag(e1).build(),
                        CompletedPart.builder().partNumber(3).eTag(e2).build()))))).isEqualTo("InvalidPart");
        CompleteMultipartUploadResponse done = path.completeMultipartUpload(b -> b.bucket("mpu").key("big").uploadId(id)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(e1).build(),
                        CompletedPart.builder().partNumber(2).eTag(e2).build())));
        assertThat(done.eTag()).endsWith("-2\"");
        byte[] all = path.getObjectAsBytes(b -> b.bucket("mpu").key("big")).asByteArray();
        assertThat(all.length).isEqualTo(p1.length + p2.length);
        assertThat(java.util.Arrays.copyOfRange(all, p1.length, all.length)).isEqualTo(p2);
        // EntityTooSmall: a small part that is not the last; UploadPartCopy with a range.
        String id2 = path.createMultipartUpload(b -> b.bucket("mpu").key("small")).uploadId();
        String s1 = path.uploadPartCopy(b -> b.sourceBucket("mpu").sourceKey("big").copySourceRange("bytes=0-99")
                .destinationBucket("mpu").destinationKey("small").uploadId(id2).partNumber(1)).copyPartResult().eTag();
        String s2 = path.uploadPart(b -> b.bucket("mpu").key("small").uploadId(id2).partNumber(2), RequestBody.fromString("z")).eTag();
        assertThat(code(() -> path.completeMultipartUpload(b -> b.bucket("mpu").key("small").uploadId(id2).multipartUpload(
                m -> m.parts(CompletedPart.builder().partNumber(1).eTag(s1).build(),
                        CompletedPart.builder().partNumber(2).eTag(s2).build()))))).isEqualTo("EntityTooSmall");
        path.completeMultipartUpload(b -> b.bucket("mpu").key("small").uploadId(id2).multipartUpload(
                m -> m.parts(CompletedPart.builder().partNumber(1).eTag(s1).build())));
        assertThat(path.getObjectAsBytes(b -> b.bucket("mpu").key("small")).asByteArray())
                .isEqualTo(java.util.Arrays.copyOfRange(p1, 0, 100));
        String id3 = path.createMultipartUpload(b -> b.bucket("mpu").key("gone")).uploadId();
        path.abortMultipartUpload(b -> b.bucket("mpu").key("gone").uploadId(id3));
        assertThat(code(() -> path.listParts(b -> b.bucket("mpu").key("gone").uploadId(id3)))).isEqualTo("NoSuchUpload");
    }

    @Test
    void concurrentOverwritesNeverServeAMixedObject() throws Exception {
        path.createBucket(b -> b.bucket("race"));
        path.putObject(b -> b.bucket("race").key("k"), RequestBody.fromBytes(bytes(100_000, 100)));
        var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
        List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int seed = w;
            futures.add(pool.submit(() -> {
                for (int i = 0; i < 10; i++) {
                    path.putObject(b -> b.bucket("race").key("k"), RequestBody.fromBytes(bytes(100_000, seed * 100 + i)));
                }
            }));
            futures.add(pool.submit(() -> {
                for (int i = 0; i < 10; i++) {
                    var got = path.getObjectAsBytes(b -> b.bucket("race").key("k"));
                    String md5 = java.util.HexFormat.of().formatHex(
                            java.security.MessageDigest.getInstance("MD5").digest(got.asByteArray()));
                    assertThat(got.response().eTag()).isEqualTo("\"" + md5 + "\"");
                }
                return null;
            }));
        }
        for (var f : futures) {
            f.get();
        }
        pool.close();
    }

    @Test
    void largeObjectStreamsWholeAndRanged() {
        path.createBucket(b -> b.bucket("large"));
        byte[] data = bytes(12 * 1024 * 1024 + 7, 42);
        path.putObject(b -> b.bucket("large").key("l"), RequestBody.fromBytes(data));
        assertThat(path.getObjectAsBytes(b -> b.bucket("large").key("l")).asByteArray()).isEqualTo(data);
        assertThat(path.getObjectAsBytes(b -> b.bucket("large").key("l").range("bytes=-7")).asByteArray())
                .isEqualTo(java.util.Arrays.copyOfRange(data, data.length - 7, data.length));
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
