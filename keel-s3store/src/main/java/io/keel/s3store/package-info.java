/**
 * The S3 backend on Keel (ADR 0043). The node wires it as:
 *
 * <pre>{@code
 * BucketCatalog catalog = new MetaBucketCatalog(
 *         () -> clusterStateOfTheLocalReplica,
 *         () -> clusterStateOfTheLeader,
 *         command -> {
 *             try {
 *                 return new CommandResult.Applied(metaGateway.submit(command));
 *             } catch (ApiException e) {
 *                 if (e.status() == 503 && !e.code().equals(RejectionCodes.NOT_INITIALISED)) {
 *                     throw e; // no quorum: the catalog answers ServiceUnavailable
 *                 }
 *                 return new CommandResult.Rejected(e.code(), e.getMessage());
 *             }
 *         },
 *         () -> UUID.randomUUID().toString(), clock);
 * S3Backend backend = new KeelS3Backend(region, catalog, shardId -> indexShardClient(shardId),
 *         objectData, clock, () -> UUID.randomUUID().toString());
 * }</pre>
 *
 * Buckets live in the metadata (ADR 0039); versions, uploads, parts and counters in the bucket's
 * index shard ({@link io.keel.s3store.index}); bytes in {@link io.keel.s3store.data.ObjectData}.
 */
package io.keel.s3store;
