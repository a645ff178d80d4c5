package io.keel.s3store;

import java.time.Clock;
import java.util.UUID;

/** A KeelS3Backend over in-memory shard, data and catalog, with the fakes exposed for assertions. */
final class TestStore {
    final InMemoryIndexShard shard = new InMemoryIndexShard("idx-0");
    final InMemoryObjectData data = new InMemoryObjectData();
    final FakeCatalog catalog;
    final KeelS3Backend backend;

    TestStore(Clock clock, String region) {
        catalog = new FakeCatalog(clock, shard.shardId());
        backend = new KeelS3Backend(region, catalog, id -> {
            if (!id.equals(shard.shardId())) {
                throw new IllegalArgumentException("unknown shard " + id);
            }
            return shard;
        }, data, clock, () -> UUID.randomUUID().toString());
    }

    TestStore() {
        this(Clock.systemUTC(), "keel-1");
    }

    /** The S3 error code {@code r} fails with, or null when it succeeds. */
    static io.keel.s3.error.S3ErrorCode code(VersioningTest.ThrowingRunnable r) {
        try {
            r.run();
        } catch (io.keel.s3.error.S3Exception e) {
            return e.code();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return null;
    }
}
