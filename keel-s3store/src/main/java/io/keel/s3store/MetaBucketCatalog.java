package io.keel.s3store;

import io.keel.meta.cluster.ClusterState;
import io.keel.meta.cluster.CommandResult;
import io.keel.meta.cluster.RejectionCodes;
import io.keel.meta.cluster.S3Bucket;
import io.keel.meta.cluster.S3Cluster;
import io.keel.meta.cluster.S3Command;
import io.keel.meta.cluster.S3State;
import io.keel.s3.error.S3ErrorCode;
import io.keel.s3.error.S3Exception;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@link BucketCatalog} over the metadata service: reads from the local replica, writes as
 * replicated commands. Functional parameters so the node wires it with lambdas and this module
 * does not depend on the node.
 */
public final class MetaBucketCatalog implements BucketCatalog {
    private final Supplier<ClusterState> state;
    private final Supplier<ClusterState> leaderState;
    private final MetaSubmitter submitter;
    private final Supplier<String> ids;
    private final Clock clock;

    /**
     * @param state       the local replica's current state (cheap; read on every request)
     * @param leaderState the leader's state, asked when the local replica knows no such bucket: it
     *                    may lag a few entries behind a bucket just created through another node
     * @param submitter   replicates a command and returns its result
     * @param ids         fresh unique ids for new buckets (no '/')
     */
    public MetaBucketCatalog(Supplier<ClusterState> state, Supplier<ClusterState> leaderState, MetaSubmitter submitter,
            Supplier<String> ids, Clock clock) {
        this.state = Objects.requireNonNull(state, "state");
        this.leaderState = Objects.requireNonNull(leaderState, "leaderState");
        this.submitter = Objects.requireNonNull(submitter, "submitter");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    private S3State s3() {
        return state.get().s3();
    }

    @Override
    public Optional<S3Bucket> bucket(String name) {
        Optional<S3Bucket> local = s3().bucket(Objects.requireNonNull(name, "name"));
        return local.isPresent() ? local : leaderState.get().s3().bucket(name);
    }

    @Override
    public List<S3Bucket> bucketsOf(String ownerId) {
        return s3().bucketsOf(Objects.requireNonNull(ownerId, "ownerId")).stream()
                .sorted(Comparator.comparing(S3Bucket::name)).toList();
    }

    @Override
    public S3Bucket create(String name, String ownerId) throws S3Exception {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(ownerId, "ownerId");
        S3State s3 = s3();
        Optional<S3Bucket> existing = s3.bucket(name);
        if (existing.isPresent()) {
            throw taken(existing.get(), ownerId);
        }
        S3Cluster cluster = s3.cluster().orElseThrow(
                () -> new S3Exception(S3ErrorCode.SERVICE_UNAVAILABLE, "No S3 cluster is configured"));
        // The home shard is the one with the fewest buckets (ADR 0040 §3).
        String shard = cluster.indexShards().stream()
                .min(Comparator.comparingInt((String id) -> s3.bucketsOnShard(id).size()).thenComparing(id -> id))
                .orElseThrow(() -> new S3Exception(S3ErrorCode.SERVICE_UNAVAILABLE, "The S3 cluster has no index shard"));
        String id = ids.get().replace("/", "");
        Instant at = clock.instant();
        CommandResult result = submit(new S3Command.CreateBucket(id, name, ownerId, shard, at));
        if (result instanceof CommandResult.Rejected r) {
            Optional<S3Bucket> now = s3().bucket(name);
            if (r.code().equals(RejectionCodes.CONFLICT) && now.isPresent()) {
                throw taken(now.get(), ownerId);
            }
            throw rejected(r);
        }
        return s3().bucket(name).filter(b -> b.id().equals(id))
                .orElseGet(() -> new S3Bucket(id, name, ownerId, at, S3Bucket.Versioning.UNVERSIONED, shard, 1));
    }

    /**
     * A submitter that throws could not reach a quorum: the client may retry (503), and a retried
     * create that had applied answers BucketAlreadyOwnedByYou.
     */
    private CommandResult submit(io.keel.meta.cluster.ClusterCommand command) throws S3Exception {
        try {
            return submitter.submit(command);
        } catch (RuntimeException e) {
            S3Exception s = new S3Exception(S3ErrorCode.SERVICE_UNAVAILABLE, "The metadata service is unavailable; retry");
            s.initCause(e);
            throw s;
        }
    }

    private static S3Exception taken(S3Bucket bucket, String ownerId) {
        return new S3Exception(bucket.ownerId().equals(ownerId) ? S3ErrorCode.BUCKET_ALREADY_OWNED_BY_YOU
                : S3ErrorCode.BUCKET_ALREADY_EXISTS);
    }

    @Override
    public boolean delete(String name, S3Command.EmptySeal seal) throws S3Exception {
        CommandResult result = submit(new S3Command.DeleteBucket(name, seal, clock.instant()));
        return switch (result) {
            case CommandResult.Applied a -> true;
            case CommandResult.Rejected r when r.code().equals(RejectionCodes.CONFLICT) -> false;
            case CommandResult.Rejected r -> throw rejectedFor(name, r);
        };
    }

    @Override
    public void setVersioning(String name, S3Bucket.Versioning versioning) throws S3Exception {
        CommandResult result = submit(new S3Command.SetBucketVersioning(name, versioning));
        if (result instanceof CommandResult.Rejected r) {
            throw r.code().equals(RejectionCodes.INVALID)
                    ? new S3Exception(S3ErrorCode.ILLEGAL_VERSIONING_CONFIGURATION, r.message())
                    : rejectedFor(name, r);
        }
    }

    /** A refusal of a command on an existing bucket: not_found is NoSuchBucket when the bucket is gone. */
    private S3Exception rejectedFor(String name, CommandResult.Rejected r) {
        if (r.code().equals(RejectionCodes.NOT_FOUND) && s3().bucket(name).isEmpty()) {
            return new S3Exception(S3ErrorCode.NO_SUCH_BUCKET, r.message());
        }
        return rejected(r);
    }

    /** The rejection codes are the interface (ADR 0039), never the messages. */
    private static S3Exception rejected(CommandResult.Rejected r) {
        return switch (r.code()) {
            case RejectionCodes.NOT_INITIALISED -> new S3Exception(S3ErrorCode.SERVICE_UNAVAILABLE, r.message());
            default -> new S3Exception(S3ErrorCode.INVALID_REQUEST, r.message());
        };
    }
}
