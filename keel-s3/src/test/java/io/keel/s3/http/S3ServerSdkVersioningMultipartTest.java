package io.keel.s3.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.*;

/** The AWS SDK for Java v2 against the real server: versioning, multipart, concurrency, large objects. */
public class S3ServerSdkVersioningMultipartTest extends SdkTestBase {
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
}
