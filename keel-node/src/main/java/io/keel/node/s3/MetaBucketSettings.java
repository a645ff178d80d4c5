package io.keel.node.s3;

import io.keel.meta.cluster.ClusterState;
import io.keel.meta.cluster.CommandResult;
import io.keel.meta.cluster.RejectionCodes;
import io.keel.meta.cluster.S3BucketSetting;
import io.keel.meta.cluster.S3Command;
import io.keel.s3.backend.BucketSetting;
import io.keel.s3.backend.BucketSettings;
import io.keel.s3.error.S3ErrorCode;
import io.keel.s3.error.S3Exception;
import io.keel.s3store.MetaSubmitter;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Bucket CORS, tagging, policy and lifecycle documents (ADR 0046) in the metadata: read from this
 * node's replica (an authorisation check per request must not cost a round trip), written as
 * metadata commands. The gateway has validated and canonicalised every document already.
 */
final class MetaBucketSettings implements BucketSettings {
    private final Supplier<ClusterState> state;
    private final MetaSubmitter submitter;

    MetaBucketSettings(Supplier<ClusterState> state, MetaSubmitter submitter) {
        this.state = Objects.requireNonNull(state, "state");
        this.submitter = Objects.requireNonNull(submitter, "submitter");
    }

    @Override
    public Optional<String> get(String bucket, BucketSetting kind) {
        return state.get().s3().bucketSetting(bucket, kind(kind));
    }

    @Override
    public void put(String bucket, BucketSetting kind, String document) throws S3Exception {
        Objects.requireNonNull(document, "document");
        set(bucket, kind, document);
    }

    @Override
    public void delete(String bucket, BucketSetting kind) throws S3Exception {
        set(bucket, kind, null);
    }

    private void set(String bucket, BucketSetting kind, String document) throws S3Exception {
        CommandResult result;
        try {
            result = submitter.submit(new S3Command.SetBucketSetting(bucket, kind(kind), document));
        } catch (RuntimeException e) {
            throw new S3Exception(S3ErrorCode.SERVICE_UNAVAILABLE, "The metadata service is unavailable; retry");
        }
        if (result instanceof CommandResult.Rejected r) {
            throw switch (r.code()) {
                case RejectionCodes.NOT_FOUND -> new S3Exception(S3ErrorCode.NO_SUCH_BUCKET, r.message());
                case RejectionCodes.NOT_INITIALISED -> new S3Exception(S3ErrorCode.SERVICE_UNAVAILABLE, r.message());
                default -> new S3Exception(S3ErrorCode.INVALID_ARGUMENT, r.message());
            };
        }
    }

    private static S3BucketSetting.Kind kind(BucketSetting kind) {
        return S3BucketSetting.Kind.valueOf(kind.name());
    }
}
