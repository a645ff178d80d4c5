package io.keel.s3store;

import io.keel.meta.shard.IndexShard;

/** Resolves an index shard id (ADR 0040, {@code S3Cluster.indexShards}) to a client of that shard. */
@FunctionalInterface
public interface IndexShards {
    IndexShard shard(String shardId);
}
