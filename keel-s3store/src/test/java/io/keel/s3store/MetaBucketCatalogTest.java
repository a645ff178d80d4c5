package io.keel.s3store;

import static io.keel.s3store.TestStore.code;
import static io.keel.s3store.Bodies.alice;
import static io.keel.s3store.Bodies.body;
import static org.assertj.core.api.Assertions.assertThat;

import io.keel.meta.cluster.ClusterCodec;
import io.keel.meta.cluster.ClusterInfo;
import io.keel.meta.cluster.ClusterLogic;
import io.keel.meta.cluster.ClusterState;
import io.keel.meta.cluster.S3Bucket;
import io.keel.meta.cluster.S3Cluster;
import io.keel.meta.cluster.S3Command;
import io.keel.meta.cluster.S3User;
import io.keel.meta.store.KvWriter;
import io.keel.s3.backend.VersioningState;
import io.keel.s3.error.S3ErrorCode;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * MetaBucketCatalog over the real metadata logic (ClusterLogic applying encoded commands to an
 * in-memory store, as the state machine does), with the S3 cluster and users seeded.
 */
class MetaBucketCatalogTest {
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    private final MemKv kv = new MemKv();
    private final ClusterCodec codec = new ClusterCodec();
    private final ClusterLogic logic = new ClusterLogic(codec);
    private final AtomicLong index = new AtomicLong();
    private final MetaBucketCatalog catalog = new MetaBucketCatalog(() -> new ClusterState(kv, codec), () -> new ClusterState(kv, codec),
            command -> codec.decodeResult(logic.apply(index.incrementAndGet(), codec.encode(command), kv)),
            () -> UUID.randomUUID().toString(), Clock.systemUTC());

    MetaBucketCatalogTest() {
        kv.put(ClusterState.CLUSTER_KEY, codec.write(new ClusterInfo("c1", T0, "n1", "stor1", T0, false)));
        kv.put("s3/cluster", codec.write(new S3Cluster(List.of("n1"), "single", List.of("s3.example.com"),
                S3Cluster.Protocol.HTTP, 9000, 0, false, List.of("idx-0", "idx-1"), T0)));
        kv.put("s3/user/alice", codec.write(new S3User("alice", "alice@example.com", "Alice", T0, false)));
        kv.put("s3/user/bob", codec.write(new S3User("bob", "bob@example.com", "Bob", T0, false)));
    }

    @Test
    void createsOnTheEmptiestShardAndMapsConflicts() throws Exception {
        S3Bucket a = catalog.create("alpha", "alice");
        S3Bucket b = catalog.create("beta", "alice");
        assertThat(List.of(a.indexShard(), b.indexShard())).containsExactlyInAnyOrder("idx-0", "idx-1");
        assertThat(catalog.bucket("alpha")).contains(a);
        assertThat(catalog.bucketsOf("alice")).extracting(S3Bucket::name).containsExactly("alpha", "beta");
        assertThat(code(() -> catalog.create("alpha", "alice"))).isEqualTo(S3ErrorCode.BUCKET_ALREADY_OWNED_BY_YOU);
        assertThat(code(() -> catalog.create("alpha", "bob"))).isEqualTo(S3ErrorCode.BUCKET_ALREADY_EXISTS);
        assertThat(code(() -> catalog.create("gamma", "nobody"))).isEqualTo(S3ErrorCode.INVALID_REQUEST);
        catalog.setVersioning("alpha", S3Bucket.Versioning.SUSPENDED);
        assertThat(catalog.bucket("alpha").orElseThrow().versioning()).isEqualTo(S3Bucket.Versioning.SUSPENDED);
        assertThat(code(() -> catalog.setVersioning("nope", S3Bucket.Versioning.ENABLED)))
                .isEqualTo(S3ErrorCode.NO_SUCH_BUCKET);
    }

    @Test
    void deletesOnlyWithAValidSeal() throws Exception {
        S3Bucket a = catalog.create("alpha", "alice");
        Instant later = Instant.now().plusSeconds(30);
        assertThat(catalog.delete("alpha", new S3Command.EmptySeal("other-id", 1, later))).isFalse();
        assertThat(catalog.delete("alpha", new S3Command.EmptySeal(a.id(), 2, later))).isFalse();
        assertThat(catalog.delete("alpha", new S3Command.EmptySeal(a.id(), 1, Instant.now().minusSeconds(1)))).isFalse();
        assertThat(catalog.bucket("alpha")).isPresent();
        assertThat(catalog.delete("alpha", new S3Command.EmptySeal(a.id(), 1, later))).isTrue();
        assertThat(catalog.bucket("alpha")).isEmpty();
        assertThat(code(() -> catalog.delete("alpha", new S3Command.EmptySeal(a.id(), 1, later))))
                .isEqualTo(S3ErrorCode.NO_SUCH_BUCKET);
    }

    @Test
    void theBackendOverTheMetadata() throws Exception {
        InMemoryIndexShard idx0 = new InMemoryIndexShard("idx-0");
        InMemoryIndexShard idx1 = new InMemoryIndexShard("idx-1");
        Map<String, InMemoryIndexShard> shards = Map.of("idx-0", idx0, "idx-1", idx1);
        KeelS3Backend b = new KeelS3Backend("keel-1", catalog, shards::get, new InMemoryObjectData(),
                Clock.systemUTC(), () -> UUID.randomUUID().toString());
        b.createBucket("data", "alice", "keel-1");
        b.setVersioning("data", VersioningState.ENABLED);
        assertThat(b.versioning("data")).isEqualTo(VersioningState.ENABLED);
        String v = b.putObject("data", "k", alice(), body("x")).versionId().orElseThrow();
        assertThat(code(() -> b.deleteBucket("data"))).isEqualTo(S3ErrorCode.BUCKET_NOT_EMPTY);
        b.deleteObject("data", "k", Optional.of(v));
        b.deleteBucket("data");
        assertThat(b.bucket("data")).isEmpty();
        assertThat(code(() -> b.getObject("data", "k", Optional.empty()))).isEqualTo(S3ErrorCode.NO_SUCH_BUCKET);
    }

    /** A KvWriter over a sorted map, as the metadata store's test double. */
    private static final class MemKv implements KvWriter {
        private final TreeMap<String, byte[]> map = new TreeMap<>();

        @Override
        public synchronized Optional<byte[]> get(String key) {
            return Optional.ofNullable(map.get(key));
        }

        @Override
        public synchronized SortedMap<String, byte[]> scan(String prefix) {
            return new TreeMap<>(map.subMap(prefix, prefix + Character.MAX_VALUE));
        }

        @Override
        public synchronized void put(String key, byte[] value) {
            map.put(key, value);
        }

        @Override
        public synchronized void delete(String key) {
            map.remove(key);
        }
    }
}
