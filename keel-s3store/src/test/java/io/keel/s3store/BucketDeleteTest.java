package io.keel.s3store;

import static io.keel.s3store.TestStore.code;
import static io.keel.s3store.Bodies.alice;
import static io.keel.s3store.Bodies.body;
import static org.assertj.core.api.Assertions.assertThat;

import io.keel.meta.cluster.S3Bucket;
import io.keel.s3.backend.BucketInfo;
import io.keel.s3.backend.MultipartUpload;
import io.keel.s3.backend.VersioningState;
import io.keel.s3.error.S3ErrorCode;
import io.keel.s3store.index.Batch;
import io.keel.s3store.index.BucketIndex;
import io.keel.s3store.index.IndexCodec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** DeleteBucket through the emptiness seal of ADR 0039, and PUTs racing it. */
class BucketDeleteTest {
    private final TestStore s = new TestStore();
    private final KeelS3Backend b = s.backend;

    @Test
    void refusedWhileVersionsMarkersOrUploadsRemain() throws Exception {
        BucketInfo info = b.createBucket("del", "alice", "keel-1");
        assertThat(info.region()).isEqualTo("keel-1");
        assertThat(code(() -> b.createBucket("del", "alice", "keel-1"))).isEqualTo(S3ErrorCode.BUCKET_ALREADY_OWNED_BY_YOU);
        assertThat(code(() -> b.createBucket("del", "bob", "keel-1"))).isEqualTo(S3ErrorCode.BUCKET_ALREADY_EXISTS);
        b.setVersioning("del", VersioningState.ENABLED);
        String v = b.putObject("del", "k", alice(), body("x")).versionId().orElseThrow();
        assertThat(code(() -> b.deleteBucket("del"))).isEqualTo(S3ErrorCode.BUCKET_NOT_EMPTY);
        b.deleteObject("del", "k", Optional.empty()); // a marker: still not empty
        b.deleteObject("del", "k", Optional.of(v));
        assertThat(code(() -> b.deleteBucket("del"))).isEqualTo(S3ErrorCode.BUCKET_NOT_EMPTY);
        String marker = b.listVersions("del", new io.keel.s3.backend.VersionQuery("", Optional.empty(), Optional.empty(),
                Optional.empty(), 10)).items().getFirst().versionId();
        b.deleteObject("del", "k", Optional.of(marker));
        MultipartUpload u = b.createMultipartUpload("del", "m", alice());
        assertThat(code(() -> b.deleteBucket("del"))).isEqualTo(S3ErrorCode.BUCKET_NOT_EMPTY);
        // A refused deletion sealed nothing: writes go on.
        b.abortMultipartUpload("del", "m", u.uploadId());
        b.deleteBucket("del");
        assertThat(b.bucket("del")).isEmpty();
        assertThat(code(() -> b.deleteBucket("del"))).isEqualTo(S3ErrorCode.NO_SUCH_BUCKET);
        assertThat(b.listBuckets("alice")).isEmpty();
    }

    @Test
    void aLiveSealHoldsWritesOffAnExpiredOneIsCleared() throws Exception {
        b.createBucket("seal", "alice", "keel-1");
        S3Bucket bucket = s.catalog.bucket("seal").orElseThrow();
        BucketIndex idx = new BucketIndex(bucket, s.shard, new IndexCodec());
        assertThat(idx.seal(Instant.now().plusSeconds(60))).isTrue();
        assertThat(code(() -> b.putObject("seal", "k", alice(), body("x")))).isEqualTo(S3ErrorCode.SERVICE_UNAVAILABLE);
        assertThat(code(() -> b.createMultipartUpload("seal", "k", alice()))).isEqualTo(S3ErrorCode.SERVICE_UNAVAILABLE);
        IndexAudit.checkData(s); // the refused PUT's bytes were released
        assertThat(idx.seal(Instant.now().minus(BucketIndex.SEAL_MARGIN).minusSeconds(1))).isTrue();
        b.putObject("seal", "k", alice(), body("x"));
        assertThat(s.shard.get("s/" + bucket.id())).isEmpty();
    }

    @Test
    void aGatewayWithAStaleBucketRecordCannotWriteIntoADeletedBucket() throws Exception {
        b.createBucket("gone", "alice", "keel-1");
        S3Bucket stale = s.catalog.bucket("gone").orElseThrow();
        b.deleteBucket("gone");
        BucketIndex idx = new BucketIndex(stale, s.shard, new IndexCodec());
        assertThat(code(() -> idx.guardAdditions(new Batch(new IndexCodec()), Instant.now().plusSeconds(3600), true)))
                .isEqualTo(S3ErrorCode.NO_SUCH_BUCKET);
    }

    /** Either the delete wins and nothing of the bucket is left, or a PUT wins and the delete is refused. */
    @Test
    void putsRacingADeleteNeverLeaveAnOrphan() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            int deleted = 0;
            for (int round = 0; round < 40; round++) {
                String name = "race-" + round;
                b.createBucket(name, "alice", "keel-1");
                String id = s.catalog.bucket(name).orElseThrow().id();
                CountDownLatch go = new CountDownLatch(1);
                List<Future<S3ErrorCode>> puts = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    int n = t;
                    // Every third round the PUTs come a little late, so the delete wins some rounds
                    // whatever the scheduling; the others race freely.
                    boolean late = round % 3 == 0;
                    puts.add(pool.submit(() -> {
                        go.await();
                        if (late) {
                            Thread.sleep(5);
                        }
                        return code(() -> b.putObject(name, "k" + n, alice(), body("data" + n)));
                    }));
                }
                Future<S3ErrorCode> del = pool.submit(() -> {
                    go.await();
                    return code(() -> b.deleteBucket(name));
                });
                go.countDown();
                S3ErrorCode d = del.get();
                long succeeded = 0;
                for (Future<S3ErrorCode> p : puts) {
                    S3ErrorCode c = p.get();
                    assertThat(c).isIn(null, S3ErrorCode.NO_SUCH_BUCKET, S3ErrorCode.SERVICE_UNAVAILABLE);
                    succeeded += c == null ? 1 : 0;
                }
                if (d == null) {
                    deleted++;
                    assertThat(succeeded).as("a PUT acknowledged into a deleted bucket").isZero();
                    assertThat(s.shard.snapshot().keySet()).allMatch(k -> !k.startsWith("o/" + id + "/")
                            && !k.startsWith("h/" + id + "/") && !k.startsWith("c/" + id + "/"));
                } else {
                    assertThat(d).isEqualTo(S3ErrorCode.BUCKET_NOT_EMPTY);
                    assertThat(IndexAudit.check(s, id).objects()).isEqualTo(succeeded);
                }
                IndexAudit.checkData(s);
            }
            assertThat(deleted).as("some rounds let the delete win").isPositive();
        } finally {
            pool.shutdownNow();
        }
    }
}
