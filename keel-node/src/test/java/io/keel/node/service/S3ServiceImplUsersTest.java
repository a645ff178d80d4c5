package io.keel.node.service;

import static io.keel.node.service.S3ServiceImplClusterTest.assertError;
import static io.keel.node.service.S3ServiceImplClusterTest.invalid;
import static org.assertj.core.api.Assertions.assertThat;

import io.keel.api.dto.CreateS3AccessKeyRequest;
import io.keel.api.dto.CreateS3ClusterRequest;
import io.keel.api.dto.CreateS3UserRequest;
import io.keel.api.dto.NewS3AccessKeyView;
import io.keel.api.dto.S3AccessKeyView;
import io.keel.api.dto.S3BucketView;
import io.keel.api.dto.S3UserView;
import io.keel.meta.cluster.S3Bucket;
import io.keel.meta.cluster.S3Command;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** S3 users, access keys and the bucket list through {@link S3ServiceImpl} over the real metadata logic. */
class S3ServiceImplUsersTest {
    private static final Instant NOW = S3ServiceImplClusterTest.NOW;
    private final S3TestMeta meta = new S3TestMeta();
    private final S3ServiceImpl s3 = new S3ServiceImpl(meta::state, meta::submit, Clock.fixed(NOW, ZoneOffset.UTC),
            new SecureRandom());

    @BeforeEach
    void cluster() {
        s3.createCluster(new CreateS3ClusterRequest(List.of("n1"), "single", List.of("s3.local"), "HTTP", null, null,
                null, null, null));
    }

    @Test
    void usersAreCreatedListedFoundByEmailSuspendedResumedAndDeleted() {
        S3UserView alice = s3.createUser(new CreateS3UserRequest(" Alice@Example.com ", null));
        assertThat(alice.id()).startsWith("u");
        assertThat(alice.email()).isEqualTo("Alice@Example.com");
        assertThat(alice.displayName()).isEqualTo("Alice");
        assertThat(alice.suspended()).isFalse();
        assertThat(alice.activeKeys()).isZero();
        assertThat(alice.createdAt()).isEqualTo(NOW);
        S3UserView bob = s3.createUser(new CreateS3UserRequest("bob@example.com", "Bob the Builder"));
        assertThat(s3.users()).extracting(S3UserView::email).containsExactly("Alice@Example.com", "bob@example.com");
        assertThat(s3.user("alice@example.com")).as("by e-mail, without regard to case").isEqualTo(alice);
        assertThat(s3.user(bob.id()).displayName()).isEqualTo("Bob the Builder");

        assertError(() -> s3.createUser(new CreateS3UserRequest("ALICE@example.com", null)), 409,
                "without regard to case");
        invalid(() -> s3.createUser(new CreateS3UserRequest("not-an-address", null)), "is not valid");
        assertThat(s3.users()).hasSize(2);

        assertThat(s3.suspendUser("alice@example.com").suspended()).isTrue();
        assertThat(s3.suspendUser(alice.id()).suspended()).as("declarative: repeating is applied").isTrue();
        assertThat(s3.resumeUser(alice.id()).suspended()).isFalse();

        s3.deleteUser("bob@example.com");
        assertError(() -> s3.user(bob.id()), 404, "no S3 user " + bob.id());
        assertError(() -> s3.deleteUser("bob@example.com"), 404, "no S3 user bob@example.com");
        assertError(() -> s3.suspendUser("nobody"), 404, "no S3 user nobody");
    }

    @Test
    void usersNeedTheS3Cluster() {
        s3.deleteCluster();
        assertError(() -> s3.createUser(new CreateS3UserRequest("alice@example.com", null)), 404,
                "there is no S3 cluster");
    }

    @Test
    void aKeysSecretIsReturnedOnceAndOnlyTwoAreActiveAtATime() {
        S3UserView alice = s3.createUser(new CreateS3UserRequest("alice@example.com", null));
        NewS3AccessKeyView first = s3.createKey(new CreateS3AccessKeyRequest("alice@example.com"));
        assertThat(first.accessKeyId()).matches("KEEL[A-Z2-7]{16}");
        assertThat(first.secretAccessKey()).matches("[A-Za-z0-9+/]{40}");
        assertThat(first.userId()).isEqualTo(alice.id());
        assertThat(first.userEmail()).isEqualTo("alice@example.com");
        assertThat(first.toString()).doesNotContain(first.secretAccessKey());
        assertThat(meta.state().s3().secretFor(first.accessKeyId())).contains(first.secretAccessKey());

        NewS3AccessKeyView second = s3.createKey(new CreateS3AccessKeyRequest(alice.id()));
        assertThat(second.accessKeyId()).isNotEqualTo(first.accessKeyId());
        assertThat(second.secretAccessKey()).isNotEqualTo(first.secretAccessKey());
        assertError(() -> s3.createKey(new CreateS3AccessKeyRequest(alice.id())), 409, "has 2 active access keys");
        assertThat(s3.user(alice.id()).activeKeys()).isEqualTo(2);

        List<S3AccessKeyView> keys = s3.keys("alice@example.com");
        assertThat(keys).extracting(S3AccessKeyView::accessKeyId).containsExactlyInAnyOrder(first.accessKeyId(),
                second.accessKeyId());
        assertThat(keys).allSatisfy(k -> {
            assertThat(k.state()).isEqualTo("ACTIVE");
            assertThat(k.userEmail()).isEqualTo("alice@example.com");
            assertThat(k.revokedAt()).isNull();
        });
        assertThat(keys.toString()).doesNotContain(first.secretAccessKey(), second.secretAccessKey());

        S3AccessKeyView revoked = s3.revokeKey(first.accessKeyId());
        assertThat(revoked.state()).isEqualTo("REVOKED");
        assertThat(revoked.revokedAt()).isEqualTo(NOW);
        assertThat(meta.state().s3().secretFor(first.accessKeyId())).isEmpty();
        assertThat(meta.dump()).doesNotContain(first.secretAccessKey()).contains(second.secretAccessKey());
        assertThat(s3.revokeKey(first.accessKeyId()).state()).as("revoking again is applied").isEqualTo("REVOKED");
        NewS3AccessKeyView third = s3.createKey(new CreateS3AccessKeyRequest(alice.id()));
        assertThat(s3.keys(null)).hasSize(3);
        assertThat(s3.user(alice.id()).activeKeys()).isEqualTo(2);

        assertError(() -> s3.revokeKey("KEELAAAAAAAAAAAAAAAA"), 404, "no access key KEELAAAAAAAAAAAAAAAA");
        assertError(() -> s3.createKey(new CreateS3AccessKeyRequest("nobody@example.com")), 404, "no S3 user");
        assertError(() -> s3.keys("nobody@example.com"), 404, "no S3 user");
        s3.deleteUser(alice.id());
        assertThat(s3.keys(null)).isEmpty();
        assertThat(meta.state().s3().secretFor(third.accessKeyId())).isEmpty();
    }

    @Test
    void bucketsAreListedWithOwnerAndVersioningAndKeepTheirOwner() {
        S3UserView alice = s3.createUser(new CreateS3UserRequest("alice@example.com", null));
        meta.submit(new S3Command.CreateBucket("b1", "photos", alice.id(), "idx-0", NOW));
        meta.submit(new S3Command.CreateBucket("b2", "backups", alice.id(), "idx-0", NOW.plusSeconds(1)));
        meta.submit(new S3Command.SetBucketVersioning("backups", S3Bucket.Versioning.ENABLED));
        assertThat(s3.buckets()).containsExactly(
                new S3BucketView("backups", alice.id(), "alice@example.com", "ENABLED", NOW.plusSeconds(1)),
                new S3BucketView("photos", alice.id(), "alice@example.com", "UNVERSIONED", NOW));
        assertThat(s3.user(alice.id()).buckets()).isEqualTo(2);
        assertError(() -> s3.deleteUser(alice.id()), 409, "owns 2 bucket(s)");
    }
}
