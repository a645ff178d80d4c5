package io.keel.s3store;

import static io.keel.s3store.TestStore.code;
import static io.keel.s3store.Bodies.alice;
import static io.keel.s3store.Bodies.body;
import static org.assertj.core.api.Assertions.assertThat;

import io.keel.s3.backend.CompletedPart;
import io.keel.s3.backend.ListPage;
import io.keel.s3.backend.MultipartRules;
import io.keel.s3.backend.MultipartUpload;
import io.keel.s3.backend.ObjectInfo;
import io.keel.s3.backend.PartInfo;
import io.keel.s3.backend.UploadQuery;
import io.keel.s3.error.S3ErrorCode;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Multipart uploads on KeelS3Backend: replacing parts, completion without copying, abort, listings. */
class MultipartTest {
    private final TestStore s = new TestStore();
    private final KeelS3Backend b = s.backend;

    private String id() {
        return s.catalog.bucket("mp").orElseThrow().id();
    }

    private static byte[] random(int n, long seed) {
        byte[] out = new byte[n];
        new Random(seed).nextBytes(out);
        return out;
    }

    @Test
    void completeConcatenatesPartLocationsAndReleasesTheRest() throws Exception {
        b.createBucket("mp", "alice", "keel-1");
        MultipartUpload u = b.createMultipartUpload("mp", "big", alice());
        int min = (int) MultipartRules.MIN_PART_SIZE;
        byte[] p1 = random(min, 1);
        byte[] p2old = random(min, 2);
        byte[] p2 = random(min + 10, 3);
        byte[] p3 = random(1000, 4);
        b.uploadPart("mp", "big", u.uploadId(), 1, body(p1));
        b.uploadPart("mp", "big", u.uploadId(), 2, body(p2old));
        PartInfo i2 = b.uploadPart("mp", "big", u.uploadId(), 2, body(p2)); // replaces, frees the old part
        PartInfo i3 = b.uploadPart("mp", "big", u.uploadId(), 3, body(p3));
        b.uploadPart("mp", "big", u.uploadId(), 4, body(random(10, 5))); // never named: freed on completion
        IndexAudit.checkData(s);
        ListPage<PartInfo> first = b.listParts("mp", "big", u.uploadId(), 0, 2);
        assertThat(first.items()).extracting(PartInfo::partNumber).containsExactly(1, 2);
        assertThat(first.truncated()).isTrue();
        assertThat(b.listParts("mp", "big", u.uploadId(), 2, 5).items()).extracting(PartInfo::partNumber)
                .containsExactly(3, 4);
        assertThat(IndexAudit.check(s, id()).uploads()).isEqualTo(1);

        // Rule violations leave the upload as it was.
        assertThat(code(() -> b.completeMultipartUpload("mp", "big", u.uploadId(),
                List.of(new CompletedPart(1, "00"))))).isEqualTo(S3ErrorCode.INVALID_PART);
        assertThat(code(() -> b.completeMultipartUpload("mp", "big", u.uploadId(),
                List.of(new CompletedPart(3, i3.etag()), new CompletedPart(4, "x"))))).isEqualTo(S3ErrorCode.ENTITY_TOO_SMALL);

        PartInfo i1 = b.listParts("mp", "big", u.uploadId(), 0, 1).items().getFirst();
        ObjectInfo done = b.completeMultipartUpload("mp", "big", u.uploadId(), List.of(new CompletedPart(1, i1.etag()),
                new CompletedPart(2, i2.etag()), new CompletedPart(3, i3.etag())));
        assertThat(done.etag()).endsWith("-3");
        assertThat(done.partCount()).isEqualTo(3);
        ByteArrayOutputStream want = new ByteArrayOutputStream();
        want.writeBytes(p1);
        want.writeBytes(p2);
        want.writeBytes(p3);
        assertThat(Bodies.bytes(b.getObject("mp", "big", Optional.empty()))).isEqualTo(want.toByteArray());
        assertThat(code(() -> b.upload("mp", "big", u.uploadId()))).isEqualTo(S3ErrorCode.NO_SUCH_UPLOAD);
        assertThat(code(() -> b.uploadPart("mp", "big", u.uploadId(), 1, body("late"))))
                .isEqualTo(S3ErrorCode.NO_SUCH_UPLOAD);
        assertThat(IndexAudit.check(s, id())).isEqualTo(new BucketUsage(1, want.size(), 1, want.size(), 0));
        IndexAudit.checkData(s);
    }

    @Test
    void abortFreesPartsAndListingsPage() throws Exception {
        b.createBucket("mp", "alice", "keel-1");
        MultipartUpload a1 = b.createMultipartUpload("mp", "a", alice());
        MultipartUpload a2 = b.createMultipartUpload("mp", "a", alice());
        MultipartUpload c = b.createMultipartUpload("mp", "c", alice());
        b.createMultipartUpload("mp", "other", alice());
        b.uploadPart("mp", "a", a1.uploadId(), 1, body("part"));
        assertThat(code(() -> b.upload("mp", "c", a1.uploadId()))).isEqualTo(S3ErrorCode.NO_SUCH_UPLOAD);

        ListPage<MultipartUpload> p1 = b.listMultipartUploads("mp", new UploadQuery("", Optional.empty(), Optional.empty(), 2));
        assertThat(p1.items()).extracting(MultipartUpload::uploadId).containsExactly(a1.uploadId(), a2.uploadId());
        assertThat(p1.truncated()).isTrue();
        ListPage<MultipartUpload> p2 = b.listMultipartUploads("mp",
                new UploadQuery("", Optional.of("a"), Optional.of(a2.uploadId()), 1));
        assertThat(p2.items()).extracting(MultipartUpload::uploadId).containsExactly(c.uploadId());
        assertThat(b.listMultipartUploads("mp", new UploadQuery("", Optional.of("a"), Optional.empty(), 10)).items())
                .extracting(MultipartUpload::key).containsExactly("c", "other");
        assertThat(b.listMultipartUploads("mp", new UploadQuery("o", Optional.empty(), Optional.empty(), 10)).items())
                .extracting(MultipartUpload::key).containsExactly("other");

        b.abortMultipartUpload("mp", "a", a1.uploadId());
        assertThat(code(() -> b.abortMultipartUpload("mp", "a", a1.uploadId()))).isEqualTo(S3ErrorCode.NO_SUCH_UPLOAD);
        assertThat(IndexAudit.check(s, id()).uploads()).isEqualTo(3);
        IndexAudit.checkData(s);
        assertThat(code(() -> b.deleteBucket("mp"))).isEqualTo(S3ErrorCode.BUCKET_NOT_EMPTY);
    }

    /** Parts arriving while the upload completes or aborts: each is either in the object, freed, or refused and freed. */
    @Test
    void partsRacingCompletionAndAbortLeakNothing() throws Exception {
        b.createBucket("mp", "alice", "keel-1");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(6);
        try {
            for (int round = 0; round < 20; round++) {
                boolean abort = round % 2 == 1;
                MultipartUpload u = b.createMultipartUpload("mp", "race", alice());
                PartInfo one = b.uploadPart("mp", "race", u.uploadId(), 1, body("first"));
                java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
                List<java.util.concurrent.Future<S3ErrorCode>> parts = new java.util.ArrayList<>();
                for (int t = 0; t < 5; t++) {
                    int n = t;
                    parts.add(pool.submit(() -> {
                        go.await();
                        S3ErrorCode last = null;
                        for (int p = 2 + n; p <= 40; p += 5) {
                            int part = p;
                            last = code(() -> b.uploadPart("mp", "race", u.uploadId(), part, body("part" + part)));
                            if (last != null) {
                                break;
                            }
                        }
                        return last;
                    }));
                }
                go.countDown();
                if (abort) {
                    b.abortMultipartUpload("mp", "race", u.uploadId());
                } else {
                    b.completeMultipartUpload("mp", "race", u.uploadId(), List.of(new CompletedPart(1, one.etag())));
                }
                for (java.util.concurrent.Future<S3ErrorCode> f : parts) {
                    assertThat(f.get()).isIn(null, S3ErrorCode.NO_SUCH_UPLOAD);
                }
                IndexAudit.checkData(s);
                assertThat(IndexAudit.check(s, id()).uploads()).isZero();
            }
            assertThat(Bodies.text(b.getObject("mp", "race", Optional.empty()))).isEqualTo("first");
        } finally {
            pool.shutdownNow();
        }
    }
}
