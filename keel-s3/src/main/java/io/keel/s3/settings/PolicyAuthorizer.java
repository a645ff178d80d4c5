package io.keel.s3.settings;

import io.keel.s3.backend.BucketInfo;
import io.keel.s3.backend.BucketSetting;
import io.keel.s3.backend.BucketSettings;
import io.keel.s3.backend.S3Authorizer;
import io.keel.s3.error.S3ErrorCode;
import io.keel.s3.error.S3Exception;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;

/**
 * Owner rights first, then the bucket policy: the owner may do anything on their bucket (a policy
 * cannot lock them out, and there is no root account to recover with); for anyone else an
 * explicit Deny wins, then an Allow grants, else AccessDenied. Bucket management (policy, CORS,
 * lifecycle, tagging, versioning, DeleteBucket) stays with the owner whatever the policy says.
 * Without a bucket (ListBuckets, CreateBucket, a missing bucket) it answers as
 * {@link S3Authorizer#ownerOnly()}: any signed user, never anonymous.
 */
public final class PolicyAuthorizer implements S3Authorizer {
    private static final EnumSet<PolicyAction> DELETES =
            EnumSet.of(PolicyAction.DELETE_OBJECT, PolicyAction.DELETE_OBJECT_VERSION);

    private final BucketSettings settings;

    public PolicyAuthorizer(BucketSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    public void authorize(Optional<String> principal, Action action, Optional<BucketInfo> bucket) throws S3Exception {
        if (bucket.isEmpty()) {
            S3Authorizer.ownerOnly().authorize(principal, action, bucket);
            return;
        }
        BucketInfo b = bucket.get();
        if (principal.isPresent() && principal.get().equals(b.owner())) {
            return;
        }
        Optional<BucketPolicy> policy = policy(b.name());
        if (policy.isEmpty()) {
            throw denied();
        }
        if (action.operation().equals("DeleteObjects") && action.key().isEmpty()) {
            // Each key of the batch is authorised as DeleteObject on its own; here only whether any may be.
            if (policy.get().mayAllow(principal, DELETES)) {
                return;
            }
            throw denied();
        }
        PolicyAction needed = PolicyAction.forOperation(action.operation(), action.versionId().isPresent())
                .orElseThrow(PolicyAuthorizer::denied);
        if (needed.objectLevel() != action.key().isPresent()) {
            throw denied();
        }
        if (policy.get().decide(principal, needed, action.key()) != BucketPolicy.Decision.ALLOW) {
            throw denied();
        }
    }

    private Optional<BucketPolicy> policy(String bucket) throws S3Exception {
        Optional<String> doc = settings.get(bucket, BucketSetting.POLICY);
        if (doc.isEmpty()) {
            return Optional.empty();
        }
        // Stored documents were validated on PUT; parsing again keeps no cache to go stale.
        return Optional.of(BucketPolicy.parse(doc.get().getBytes(StandardCharsets.UTF_8), bucket));
    }

    private static S3Exception denied() {
        return new S3Exception(S3ErrorCode.ACCESS_DENIED);
    }
}
