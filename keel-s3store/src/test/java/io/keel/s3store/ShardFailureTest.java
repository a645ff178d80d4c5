package io.keel.s3store;

import static io.keel.s3store.Bodies.alice;
import static io.keel.s3store.Bodies.body;
import static org.assertj.core.api.Assertions.assertThat;

import io.keel.meta.shard.IndexShard;
import io.keel.meta.shard.ShardBatch;
import io.keel.meta.shard.ShardEntry;
import io.keel.meta.shard.ShardUnavailableException;
import io.keel.s3.error.S3ErrorCode;
import io.keel.s3.error.S3Exception;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** A shard that stops answering: clients are told to retry, and bytes a record may name are never freed. */
class ShardFailureTest {
    /** Applies the next commit and then loses the answer, as a leader change after commit does. */
    private static final class LosingShard implements IndexShard {
        final InMemoryIndexShard inner = new InMemoryIndexShard("idx-0");
        final AtomicBoolean loseNext = new AtomicBoolean();
        final AtomicBoolean down = new AtomicBoolean();

        @Override
        public String shardId() {
            return inner.shardId();
        }

        @Override
        public Optional<byte[]> get(String key) throws ShardUnavailableException {
            check();
            return inner.get(key);
        }

        @Override
        public List<ShardEntry> scan(String from, String toExclusive, int limit) throws ShardUnavailableException {
            check();
            return inner.scan(from, toExclusive, limit);
        }

        @Override
        public boolean commit(ShardBatch batch) throws ShardUnavailableException {
            check();
            boolean applied = inner.commit(batch);
            if (loseNext.getAndSet(false)) {
                throw new ShardUnavailableException("leader lost after commit");
            }
            return applied;
        }

        private void check() throws ShardUnavailableException {
            if (down.get()) {
                throw new ShardUnavailableException("no leader");
            }
        }
    }

    @Test
    void aCommitWithoutAnAnswerKeepsTheBytesAndAsksForARetry() throws Exception {
        LosingShard shard = new LosingShard();
        InMemoryObjectData data = new InMemoryObjectData();
        FakeCatalog catalog = new FakeCatalog(Clock.systemUTC(), "idx-0");
        KeelS3Backend b = new KeelS3Backend("keel-1", catalog, id -> shard, data, Clock.systemUTC(),
                () -> UUID.randomUUID().toString());
        b.createBucket("flaky", "alice", "keel-1");
        shard.loseNext.set(true);
        try {
            b.putObject("flaky", "k", alice(), body("applied"));
            throw new AssertionError("expected ServiceUnavailable");
        } catch (S3Exception e) {
            assertThat(e.code()).isEqualTo(S3ErrorCode.SERVICE_UNAVAILABLE);
        }
        // It did commit: the object is readable, so its bytes must not have been released.
        assertThat(Bodies.text(b.getObject("flaky", "k", Optional.empty()))).isEqualTo("applied");
        assertThat(data.live).hasSize(1);

        shard.down.set(true);
        try {
            b.getObject("flaky", "k", Optional.empty());
            throw new AssertionError("expected ServiceUnavailable");
        } catch (S3Exception e) {
            assertThat(e.code()).isEqualTo(S3ErrorCode.SERVICE_UNAVAILABLE);
        }
        shard.down.set(false);
        b.putObject("flaky", "k", alice(), body("again"));
        assertThat(data.live).hasSize(1);
        assertThat(data.doubleReleases).isEmpty();
    }
}
