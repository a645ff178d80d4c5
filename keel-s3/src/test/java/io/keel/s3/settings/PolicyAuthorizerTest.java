package io.keel.s3.settings;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.s3.backend.BucketInfo;
import io.keel.s3.backend.BucketSetting;
import io.keel.s3.backend.BucketSettings;
import io.keel.s3.backend.S3Authorizer;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PolicyAuthorizerTest {
    private final Map<String, String> policies = new HashMap<>();
    private final BucketSettings settings = new BucketSettings() {
        @Override
        public Optional<String> get(String bucket, BucketSetting kind) {
            return kind == BucketSetting.POLICY ? Optional.ofNullable(policies.get(bucket)) : Optional.empty();
        }

        @Override
        public void put(String bucket, BucketSetting kind, String document) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void delete(String bucket, BucketSetting kind) {
            throw new UnsupportedOperationException();
        }
    };
    private final PolicyAuthorizer authorizer = new PolicyAuthorizer(settings);
    private static final Optional<BucketInfo> SITE = Optional.of(new BucketInfo("site", "alice", Instant.EPOCH, "r"));

    private String decide(String user, String op, String key, String version) {
        return Fail.of(() -> authorizer.authorize(Optional.ofNullable(user), new S3Authorizer.Action(op,
                Optional.of("site"), Optional.ofNullable(key), Optional.ofNullable(version)), SITE));
    }

    private String decide(String user, String op, String key) {
        return decide(user, op, key, null);
    }

    @Test
    void withoutAPolicyOnlyTheOwnerActsAndAnonymousMayNotEvenCreate() {
        assertThat(decide("alice", "PutBucketPolicy", null)).isEqualTo("none");
        assertThat(decide("alice", "GetObject", "k")).isEqualTo("none");
        assertThat(decide("bob", "GetObject", "k")).startsWith("AccessDenied");
        assertThat(decide(null, "ListObjectsV2", null)).startsWith("AccessDenied");
        assertThat(Fail.of(() -> authorizer.authorize(Optional.empty(), new S3Authorizer.Action("ListBuckets",
                Optional.empty(), Optional.empty()), Optional.empty()))).startsWith("AccessDenied");
        assertThat(Fail.of(() -> authorizer.authorize(Optional.of("bob"), new S3Authorizer.Action("CreateBucket",
                Optional.of("new"), Optional.empty()), Optional.empty()))).isEqualTo("none");
    }

    @Test
    void publicReadLetsAnyoneReadAndListButNotWriteOrManage() {
        policies.put("site", """
                {"Statement":[{"Effect":"Allow","Principal":"*","Action":["s3:GetObject","s3:ListBucket"],
                 "Resource":["arn:aws:s3:::site","arn:aws:s3:::site/*"]}]}""");
        assertThat(decide(null, "GetObject", "index.html")).isEqualTo("none");
        assertThat(decide(null, "HeadObject", "index.html")).isEqualTo("none");
        assertThat(decide(null, "ListObjectsV2", null)).isEqualTo("none");
        assertThat(decide(null, "HeadBucket", null)).isEqualTo("none");
        assertThat(decide(null, "GetObject", "index.html", "v1")).startsWith("AccessDenied");
        assertThat(decide(null, "PutObject", "x")).startsWith("AccessDenied");
        assertThat(decide(null, "ListObjectVersions", null)).startsWith("AccessDenied");
        assertThat(decide("bob", "PutBucketPolicy", null)).startsWith("AccessDenied");
        assertThat(decide("bob", "DeleteBucket", null)).startsWith("AccessDenied");
        assertThat(decide("bob", "GetBucketLocation", null)).startsWith("AccessDenied");
        assertThat(decide(null, "DeleteObjects", null)).startsWith("AccessDenied");
    }

    @Test
    void denyBindsOthersButNeverTheOwner() {
        policies.put("site", """
                {"Statement":[{"Effect":"Allow","Principal":{"AWS":["bob"]},"Action":"s3:*","Resource":"arn:aws:s3:::site/*"},
                 {"Effect":"Deny","Principal":"*","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::site/keep/*"}]}""");
        assertThat(decide("bob", "PutObject", "a")).isEqualTo("none");
        assertThat(decide("bob", "CompleteMultipartUpload", "a")).isEqualTo("none");
        assertThat(decide("bob", "DeleteObject", "a")).isEqualTo("none");
        assertThat(decide("bob", "DeleteObject", "keep/a")).startsWith("AccessDenied");
        assertThat(decide("alice", "DeleteObject", "keep/a")).isEqualTo("none");
        assertThat(decide("bob", "DeleteObjects", null)).isEqualTo("none");
        assertThat(decide("bob", "ListObjects", null)).startsWith("AccessDenied");
        assertThat(decide("carol", "GetObject", "a")).startsWith("AccessDenied");
    }
}
