package io.keel.node.service;

import static io.keel.node.service.S3ServiceImplClusterTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.keel.api.S3ObjectService;
import io.keel.api.dto.CreateS3BucketRequest;
import io.keel.api.dto.CreateS3ClusterRequest;
import io.keel.api.dto.CreateS3UserRequest;
import io.keel.api.dto.S3BucketView;
import io.keel.api.dto.S3LifecycleSweepView;
import io.keel.api.dto.S3ObjectListView;
import io.keel.api.dto.S3ObjectView;
import io.keel.api.dto.S3PutObjectView;
import io.keel.s3.backend.S3Backend;
import io.keel.api.dto.S3BucketUsageView;
import io.keel.api.dto.S3UsageView;
import io.keel.s3.error.S3ErrorCode;
import io.keel.s3.error.S3Exception;
import io.keel.s3store.BucketUsage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The bucket browser over the real metadata logic and an in-memory S3 backend. */
class S3ObjectServiceImplTest {
    private static final Instant NOW = S3ServiceImplClusterTest.NOW;
    private final S3TestMeta meta = new S3TestMeta();
    private final S3ServiceImpl control = new S3ServiceImpl(meta::state, meta::submit, Clock.fixed(NOW, ZoneOffset.UTC),
            new SecureRandom());
    private final FakeS3Backend backend = new FakeS3Backend(meta, NOW);
    private final AtomicReference<S3Backend> running = new AtomicReference<>(backend);
    private final java.util.Map<String, BucketUsage> counters = new java.util.concurrent.ConcurrentHashMap<>();
    private final S3ObjectServiceImpl s3 = new S3ObjectServiceImpl("n1", meta::state,
            () -> Optional.ofNullable(running.get()), (b, bucket) -> {
                assertThat(b).isSameAs(backend);
                BucketUsage u = counters.get(bucket);
                if (u == null) {
                    throw new S3Exception(S3ErrorCode.SERVICE_UNAVAILABLE, "shard without quorum");
                }
                return u;
            }, (b, state) -> {
                assertThat(b).isSameAs(backend);
                return new S3LifecycleSweepView(state.s3().buckets().size(), 0, 0, 0, 0);
            });
    private String alice;

    @BeforeEach
    void cluster() {
        control.createCluster(new CreateS3ClusterRequest(List.of("n1", "n2"), "single", List.of("s3.local"), "HTTP",
                null, null, null, null, null));
        alice = control.createUser(new CreateS3UserRequest("alice@example.com", null)).id();
    }

    @Test
    void aBucketIsCreatedForItsOwnerAndListedLikeTheOthers() {
        S3BucketView created = s3.createBucket(new CreateS3BucketRequest("photos", "Alice@example.com"));
        assertThat(created).isEqualTo(new S3BucketView("photos", alice, "alice@example.com", "UNVERSIONED", NOW));
        assertThat(control.buckets()).containsExactly(created);
        assertError(() -> s3.createBucket(new CreateS3BucketRequest("photos", alice)), 409, "bucket photos exists");
        assertError(() -> s3.createBucket(new CreateS3BucketRequest("docs", "bob@example.com")), 404,
                "no S3 user bob@example.com");
        assertThat(control.buckets()).hasSize(1);
    }

    @Test
    void aNameTheS3RulesRefuseIsRefusedWithTheirReason() {
        assertError(() -> s3.createBucket(new CreateS3BucketRequest("Photos", alice)), 400,
                "Bucket name can contain only lowercase letters, numbers, dots and hyphens");
        assertError(() -> s3.createBucket(new CreateS3BucketRequest("ab", alice)), 400,
                "Bucket name must be between 3 and 63 characters long");
        assertThat(control.buckets()).isEmpty();
    }

    @Test
    void objectsAreStoredListedReadAndDeleted() throws IOException {
        s3.createBucket(new CreateS3BucketRequest("photos", alice));
        S3PutObjectView put = s3.putObject("photos", "a/b.txt", "text/plain", bytes("hello world!"), 12);
        assertThat(put).isEqualTo(new S3PutObjectView("a/b.txt", 12, "\"fc3ff98e8c6a0d3087d515c0473f8677\""));
        s3.putObject("photos", "a/c.txt", "text/plain", bytes("x"), -1);
        s3.putObject("photos", "top.bin", "application/octet-stream", bytes("yy"), 2);

        S3ObjectListView root = s3.listObjects("photos", new S3ObjectService.ObjectQuery("", "/", null, 1000));
        assertThat(root.prefixes()).containsExactly("a/");
        assertThat(root.objects()).containsExactly(new S3ObjectView("top.bin", 2, "\"" + md5("yy") + "\"", NOW,
                "application/octet-stream"));
        assertThat(root.next()).isNull();

        S3ObjectListView first = s3.listObjects("photos", new S3ObjectService.ObjectQuery("a/", "", null, 1));
        assertThat(first.objects()).extracting(S3ObjectView::key).containsExactly("a/b.txt");
        assertThat(first.next()).isNotNull();
        S3ObjectListView second = s3.listObjects("photos", new S3ObjectService.ObjectQuery("a/", "", first.next(), 1));
        assertThat(second.objects()).extracting(S3ObjectView::key).containsExactly("a/c.txt");
        assertThat(second.next()).isNull();

        try (S3ObjectService.Download d = s3.getObject("photos", "a/b.txt")) {
            assertThat(d.contentType()).isEqualTo("text/plain");
            assertThat(d.sizeBytes()).isEqualTo(12);
            assertThat(d.etag()).isEqualTo(put.etag());
            assertThat(new String(d.body().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello world!");
        }
        assertThat(backend.closed).as("the object handle is closed with the download").isEqualTo(backend.opened);

        s3.deleteObject("photos", "a/b.txt");
        s3.deleteObject("photos", "a/b.txt");
        assertError(() -> s3.getObject("photos", "a/b.txt"), 404, "no object a/b.txt in bucket photos");
        assertError(() -> s3.getObject("nope", "k"), 404, "no bucket nope");
        assertError(() -> s3.putObject("nope", "k", "text/plain", bytes("x"), 1), 404, "no bucket nope");
        assertError(() -> s3.deleteObject("nope", "k"), 404, "no bucket nope");
        assertError(() -> s3.listObjects("photos", new S3ObjectService.ObjectQuery("", "", "%%%", 10)), 400,
                "continuation token");
    }

    @Test
    void aBucketWithObjectsOrUploadsIsNotDeleted() {
        s3.createBucket(new CreateS3BucketRequest("photos", alice));
        s3.putObject("photos", "k", "text/plain", bytes("x"), 1);
        assertError(() -> s3.deleteBucket("photos"), 409, "bucket photos is not empty");
        s3.deleteObject("photos", "k");
        backend.uploads.put("photos", 1);
        assertError(() -> s3.deleteBucket("photos"), 409, "bucket photos is not empty");
        backend.uploads.clear();
        s3.deleteBucket("photos");
        assertError(() -> s3.deleteBucket("photos"), 404, "no bucket photos");
    }

    @Test
    void anUploadCutShortIsTheClientsErrorAndStoresNothing() {
        s3.createBucket(new CreateS3BucketRequest("photos", alice));
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("early EOF");
            }
        };
        assertError(() -> s3.putObject("photos", "k", "text/plain", broken, 10), 400, "ended before its body did");
        assertThat(s3.listObjects("photos", new S3ObjectService.ObjectQuery("", "", null, 10)).objects()).isEmpty();
    }

    @Test
    void usageSumsTheBucketsCountersNamesThoseUnreadAndEstimatesTheFreeSpace() {
        s3.createBucket(new CreateS3BucketRequest("photos", alice));
        s3.createBucket(new CreateS3BucketRequest("docs", alice));
        s3.createBucket(new CreateS3BucketRequest("logs", alice));
        counters.put("photos", new BucketUsage(3, 3000, 4, 3500, 1));
        counters.put("docs", new BucketUsage(2, 20, 2, 20, 0));

        S3UsageView u = s3.usage();
        assertThat(u.buckets()).isEqualTo(3);
        assertThat(u.objects()).isEqualTo(5);
        assertThat(u.bytes()).isEqualTo(3020);
        assertThat(u.versions()).isEqualTo(6);
        assertThat(u.storedBytes()).isEqualTo(3520);
        assertThat(u.uploads()).isEqualTo(1);
        assertThat(u.perBucket()).extracting(S3BucketUsageView::name).containsExactlyInAnyOrder("photos", "docs");
        assertThat(u.unreadBuckets()).containsExactly("logs");
        // Three tier-0 services with 90 GiB free each, policy "single" (one copy: overhead 1).
        assertThat(u.freeBytes()).isEqualTo(270L << 30);
    }

    @Test
    void onlyTheS3ClustersNodesServeAndOnlyOnceTheirGatewayStarted() {
        S3ObjectServiceImpl node3 = new S3ObjectServiceImpl("n3", meta::state, () -> Optional.of(backend),
                (b, bucket) -> counters.get(bucket), (b, state) -> {
                    throw new AssertionError("a node without a gateway swept");
                });
        assertError(() -> node3.listObjects("photos", new S3ObjectService.ObjectQuery("", "", null, 10)), 503,
                "node3 runs no S3 gateway; the S3 cluster's nodes are node1, node2");
        assertError(node3::sweepLifecycle, 503, "node3 runs no S3 gateway");
        assertThat(s3.sweepLifecycle().buckets()).isEqualTo(meta.state().s3().buckets().size());
        running.set(null);
        assertError(() -> s3.deleteObject("photos", "k"), 503, "the S3 gateway of node1 has not started yet");
        assertError(s3::sweepLifecycle, 503, "the S3 gateway of node1 has not started yet");
        control.deleteCluster();
        assertError(() -> s3.createBucket(new CreateS3BucketRequest("photos", alice)), 409, "there is no S3 cluster");
        assertError(s3::usage, 409, "there is no S3 cluster");
        assertError(s3::sweepLifecycle, 409, "there is no S3 cluster");
    }

    private static InputStream bytes(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String md5(String s) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
