package io.keel.s3store;

import static io.keel.s3store.Bodies.alice;
import static io.keel.s3store.Bodies.body;
import static org.assertj.core.api.Assertions.assertThat;

import io.keel.s3.backend.StoredObject;
import io.keel.s3.backend.VersioningState;
import io.keel.s3.error.S3ErrorCode;
import io.keel.s3.error.S3Exception;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * 16 threads overwriting, reading and deleting the same few keys. Every GET's bytes hash to its
 * ETag (never a mix of two writes), and at the end the counters, the heads and the live data
 * agree exactly with the records.
 */
class ConcurrencyTest {
    private static final int THREADS = 16;
    private static final int KEYS = 4;
    private static final int OPS = 100;

    @ParameterizedTest
    @EnumSource(value = VersioningState.class, names = {"UNVERSIONED", "ENABLED", "SUSPENDED"})
    void concurrentOverwritesStayConsistent(VersioningState state) throws Exception {
        TestStore s = new TestStore();
        KeelS3Backend b = s.backend;
        b.createBucket("hot", "alice", "keel-1");
        if (state != VersioningState.UNVERSIONED) {
            b.setVersioning("hot", state);
        }
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        AtomicLong reads = new AtomicLong();
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                long seed = t;
                done.add(pool.submit(() -> {
                    go.await();
                    Random rnd = new Random(seed);
                    for (int i = 0; i < OPS; i++) {
                        String key = "k" + rnd.nextInt(KEYS);
                        int op = rnd.nextInt(10);
                        if (op < 5) {
                            byte[] data = new byte[1 + rnd.nextInt(4000)];
                            rnd.nextBytes(data);
                            b.putObject("hot", key, alice(), body(data));
                        } else if (op < 9) {
                            try (StoredObject o = b.getObject("hot", key, Optional.empty())) {
                                byte[] got = Bodies.bytes(o);
                                assertThat(got.length).isEqualTo(o.info().size());
                                assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(got)))
                                        .isEqualTo(o.info().etag());
                                reads.incrementAndGet();
                            } catch (S3Exception e) {
                                assertThat(e.code()).isEqualTo(S3ErrorCode.NO_SUCH_KEY);
                            }
                        } else {
                            b.deleteObject("hot", key, Optional.empty());
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(reads.get()).isPositive();
        String id = s.catalog.bucket("hot").orElseThrow().id();
        BucketUsage usage = IndexAudit.check(s, id);
        assertThat(b.usage("hot")).isEqualTo(usage);
        assertThat(usage.objects()).isLessThanOrEqualTo(KEYS);
        if (state == VersioningState.UNVERSIONED) {
            assertThat(usage.versions()).isEqualTo(usage.objects());
            assertThat(usage.storedBytes()).isEqualTo(usage.bytes());
        }
        IndexAudit.checkData(s);
        assertThat(s.shard.conflicts.get()).as("the test did make writers collide").isPositive();
    }
}
