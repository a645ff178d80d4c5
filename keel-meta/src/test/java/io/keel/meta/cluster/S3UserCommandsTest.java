package io.keel.meta.cluster;

import static io.keel.meta.cluster.RejectionCodes.CONFLICT;
import static io.keel.meta.cluster.RejectionCodes.INVALID;
import static io.keel.meta.cluster.RejectionCodes.NOT_FOUND;
import static io.keel.meta.cluster.S3Fixtures.AT;
import static io.keel.meta.cluster.S3Fixtures.SECRET_A;
import static io.keel.meta.cluster.S3Fixtures.SECRET_B;
import static io.keel.meta.cluster.S3Fixtures.keyId;
import static org.assertj.core.api.Assertions.assertThat;

import io.keel.meta.cluster.S3Command.CreateAccessKey;
import io.keel.meta.cluster.S3Command.CreateUser;
import io.keel.meta.cluster.S3Command.DeleteUser;
import io.keel.meta.cluster.S3Command.ResumeUser;
import io.keel.meta.cluster.S3Command.RevokeAccessKey;
import io.keel.meta.cluster.S3Command.SuspendUser;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class S3UserCommandsTest {

    @Test
    void usersAreIdentifiedByEmailWithoutRegardToCase() {
        Harness h = S3Fixtures.withS3();
        assertThat(h.applied(new CreateUser("u1", " Alice@Example.COM ", null, AT))).isEqualTo("u1");
        S3User u = h.state().s3().user("u1").orElseThrow();
        assertThat(u.email()).isEqualTo("Alice@Example.COM");
        assertThat(u.displayName()).isEqualTo("Alice");
        assertThat(u.suspended()).isFalse();
        assertThat(u.createdAt()).isEqualTo(AT);
        assertThat(h.state().s3().userByEmail("alice@example.com")).contains(u);
        assertThat(h.state().s3().userByIdOrEmail("u1")).contains(u);
        assertThat(h.state().s3().userByIdOrEmail("ALICE@example.com")).contains(u);
        assertThat(h.rejected(new CreateUser("u2", "alice@example.com", "Other", AT), CONFLICT))
                .contains("already exists").contains("without regard to case");
        assertThat(h.rejected(new CreateUser("u2", "Alice@Example.COM", "Other", AT), CONFLICT))
                .contains("already exists").doesNotContain("case");
        h.applied(new CreateUser("u2", "bob@example.com", "Bob B.", AT));
        assertThat(h.state().s3().users()).extracting(S3User::id).containsExactly("u1", "u2");
    }

    @Test
    void aRepeatedCreateIsAnsweredAsAppliedAndATakenIdIsAConflict() {
        Harness h = S3Fixtures.withS3();
        h.applied(new CreateUser("u1", "alice@example.com", "Alice", AT));
        var before = h.kv.snapshot();
        assertThat(h.applied(new CreateUser("u1", "alice@example.com", "Alice", AT))).isEqualTo("u1");
        assertThat(h.kv.snapshot()).isEqualTo(before);
        assertThat(h.rejected(new CreateUser("u1", "carol@example.com", "Carol", AT), CONFLICT)).contains("is taken");
    }

    @Test
    void badUsersAreRefusedWithTheReason() {
        Harness h = S3Fixtures.withS3();
        assertThat(h.rejected(new CreateUser("u1", "no-at-sign", null, AT), INVALID)).contains("exactly one '@'");
        assertThat(h.rejected(new CreateUser("u1", "a@b@c.com", null, AT), INVALID)).contains("exactly one '@'");
        assertThat(h.rejected(new CreateUser("u1", "a b@c.com", null, AT), INVALID)).contains("before '@'");
        assertThat(h.rejected(new CreateUser("u1", "a@bad_domain", null, AT), INVALID)).contains("after '@'");
        assertThat(h.rejected(new CreateUser("u1", null, null, AT), INVALID)).contains("required");
        assertThat(h.rejected(new CreateUser("u1", "a@b.com", "x".repeat(65), AT), INVALID)).contains("display name");
        assertThat(h.rejected(new CreateUser("u1", "a@b.com", "tab\there", AT), INVALID)).contains("display name");
        assertThat(h.rejected(new CreateUser("u/1", "a@b.com", null, AT), INVALID)).contains("user id");
        assertThat(h.rejected(new CreateUser("u1", "a@b.com", null, null), INVALID)).contains("time");
        assertThat(h.state().s3().users()).isEmpty();
        Harness noS3 = Harness.withChunkServices();
        assertThat(noS3.rejected(new CreateUser("u1", "a@b.com", null, AT), NOT_FOUND)).contains("no S3 cluster");
    }

    @Test
    void keysAuthenticateTheirUserAndTheSecretIsOnlyForTheGateway() {
        Harness h = S3Fixtures.withUser();
        S3AccessKey k = h.state().s3().accessKey(keyId(1)).orElseThrow();
        assertThat(k.userId()).isEqualTo("u1");
        assertThat(k.active()).isTrue();
        assertThat(k.createdAt()).isEqualTo(AT);
        assertThat(h.state().s3().accessKeysOf("u1")).containsExactly(k);
        assertThat(h.state().s3().secretFor(keyId(1))).contains(SECRET_A);
        assertThat(h.state().s3().principal(keyId(1))).map(S3User::id).contains("u1");
        assertThat(h.state().s3().secretFor(keyId(9))).isEmpty();
        assertThat(h.state().s3().secretFor("not/a key")).isEmpty();
        // Nothing a listing prints or encodes carries the secret.
        String views = h.state().s3().accessKeys() + " " + h.state().s3().users() + " "
                + new String(h.codec.write(h.state().s3().accessKeysOf("u1")), StandardCharsets.UTF_8);
        assertThat(views).doesNotContain(SECRET_A);
        assertThat(new CreateAccessKey(keyId(1), "u1", SECRET_A, AT).toString()).doesNotContain(SECRET_A);
        assertThat(new S3KeySecret(SECRET_A).toString()).doesNotContain(SECRET_A);
    }

    @Test
    void aUserHasAtMostTwoActiveKeysAndRevokedOnesStopAtOnce() {
        Harness h = S3Fixtures.withUser();
        h.applied(new CreateAccessKey(keyId(2), "u1", SECRET_B, AT.plusSeconds(1)));
        assertThat(h.rejected(new CreateAccessKey(keyId(3), "u1", SECRET_B, AT), CONFLICT))
                .contains("2 active access keys");
        assertThat(h.applied(new RevokeAccessKey(keyId(1), AT.plusSeconds(5)))).isEqualTo(keyId(1));
        S3AccessKey revoked = h.state().s3().accessKey(keyId(1)).orElseThrow();
        assertThat(revoked.state()).isEqualTo(S3AccessKey.State.REVOKED);
        assertThat(revoked.revokedAt()).isEqualTo(AT.plusSeconds(5));
        assertThat(h.state().s3().secretFor(keyId(1))).isEmpty();
        assertThat(h.kv.snapshot()).doesNotContainKey(S3State.secretKey(keyId(1)));
        // Revoking again keeps the first time; a revoked key cannot come back under its id.
        h.applied(new RevokeAccessKey(keyId(1), AT.plusSeconds(9)));
        assertThat(h.state().s3().accessKey(keyId(1)).orElseThrow().revokedAt()).isEqualTo(AT.plusSeconds(5));
        assertThat(h.rejected(new CreateAccessKey(keyId(1), "u1", SECRET_A, AT), CONFLICT)).contains("is taken");
        h.applied(new CreateAccessKey(keyId(3), "u1", SECRET_A, AT.plusSeconds(6)));
        assertThat(h.state().s3().accessKeysOf("u1")).extracting(S3AccessKey::id)
                .containsExactly(keyId(1), keyId(2), keyId(3));
        assertThat(h.rejected(new RevokeAccessKey(keyId(9), AT), NOT_FOUND)).contains("no access key");
        assertThat(h.rejected(new RevokeAccessKey(keyId(2), null), INVALID)).contains("time");
    }

    @Test
    void onlyTheNewestRevokedKeysAreKept() {
        Harness h = S3Fixtures.withS3();
        h.applied(new CreateUser("u1", "alice@example.com", null, AT));
        int total = S3Commands.KEPT_REVOKED_KEYS + 4;
        for (int i = 1; i <= total; i++) {
            h.applied(new CreateAccessKey(keyId(i), "u1", SECRET_A, AT.plusSeconds(i)));
            h.applied(new RevokeAccessKey(keyId(i), AT.plusSeconds(i)));
        }
        h.applied(new CreateAccessKey(keyId(100), "u1", SECRET_B, AT.plusSeconds(100)));
        var keys = h.state().s3().accessKeysOf("u1");
        assertThat(keys).filteredOn(k -> !k.active()).hasSize(S3Commands.KEPT_REVOKED_KEYS)
                .extracting(S3AccessKey::id).doesNotContain(keyId(1), keyId(4)).contains(keyId(5), keyId(total));
        assertThat(keys).filteredOn(S3AccessKey::active).extracting(S3AccessKey::id).containsExactly(keyId(100));
    }

    @Test
    void aRepeatedKeyCreationIsAppliedOnlyWithTheSameSecret() {
        Harness h = S3Fixtures.withUser();
        var before = h.kv.snapshot();
        assertThat(h.applied(new CreateAccessKey(keyId(1), "u1", SECRET_A, AT))).isEqualTo(keyId(1));
        assertThat(h.kv.snapshot()).isEqualTo(before);
        assertThat(h.rejected(new CreateAccessKey(keyId(1), "u1", SECRET_B, AT), CONFLICT)).contains("is taken")
                .doesNotContain(SECRET_B);
    }

    @Test
    void badKeysAreRefusedWithoutEchoingTheSecret() {
        Harness h = S3Fixtures.withUser();
        assertThat(h.rejected(new CreateAccessKey("AKIAIOSFODNN7EXAMPLE", "u1", SECRET_B, AT), INVALID))
                .contains("access key id");
        assertThat(h.rejected(new CreateAccessKey(keyId(2) + "A", "u1", SECRET_B, AT), INVALID))
                .contains("access key id");
        String shortSecret = "tooShortButSecret";
        assertThat(h.rejected(new CreateAccessKey(keyId(2), "u1", shortSecret, AT), INVALID)).contains("40")
                .doesNotContain(shortSecret);
        assertThat(h.rejected(new CreateAccessKey(keyId(2), "u1", SECRET_B.replace('w', '-'), AT), INVALID))
                .doesNotContain(SECRET_B.substring(5));
        assertThat(h.rejected(new CreateAccessKey(keyId(2), "u1", null, AT), INVALID)).contains("secret");
        assertThat(h.rejected(new CreateAccessKey(keyId(2), "u9", SECRET_B, AT), NOT_FOUND)).contains("no S3 user");
        assertThat(h.rejected(new CreateAccessKey(keyId(2), "u1", SECRET_B, null), INVALID)).contains("time");
    }

    @Test
    void generatedKeysPassTheRules() {
        SecureRandom rnd = new SecureRandom();
        for (int i = 0; i < 100; i++) {
            String id = S3Keys.newAccessKeyId(rnd);
            String secret = S3Keys.newSecret(rnd);
            assertThat(id).hasSize(20).startsWith("KEEL");
            assertThat(S3Names.validateAccessKeyId(id)).isEmpty();
            assertThat(secret).hasSize(40);
            assertThat(S3Names.validateSecret(secret)).isEmpty();
        }
    }

    @Test
    void aSuspendedUserNeitherAuthenticatesNorCreatesBucketsUntilResumed() {
        Harness h = S3Fixtures.withUser();
        h.applied(new SuspendUser("u1"));
        h.applied(new SuspendUser("u1"));
        assertThat(h.state().s3().user("u1").orElseThrow().suspended()).isTrue();
        assertThat(h.state().s3().secretFor(keyId(1))).isEmpty();
        assertThat(h.state().s3().principal(keyId(1))).isEmpty();
        assertThat(h.state().s3().accessKey(keyId(1)).orElseThrow().active()).isTrue();
        assertThat(h.rejected(new S3Command.CreateBucket("b1", "photos", "u1", "idx-0", AT), CONFLICT))
                .contains("suspended");
        h.applied(new ResumeUser("u1"));
        assertThat(h.state().s3().secretFor(keyId(1))).contains(SECRET_A);
        assertThat(h.rejected(new SuspendUser("u9"), NOT_FOUND)).contains("no S3 user");
        assertThat(h.rejected(new ResumeUser(null), INVALID)).contains("required");
    }

    @Test
    void aUserOwningBucketsCannotBeDeletedAndDeletionTakesTheKeys() {
        Harness h = S3Fixtures.withUser();
        h.applied(new S3Command.CreateBucket("b1", "photos", "u1", "idx-0", AT));
        assertThat(h.rejected(new DeleteUser("u1"), CONFLICT)).contains("owns 1 bucket(s) (\"photos\")");
        h.applied(new S3Command.DeleteBucket("photos", S3Fixtures.seal(h, "photos"), AT));
        h.applied(new RevokeAccessKey(keyId(1), AT));
        h.applied(new CreateAccessKey(keyId(2), "u1", SECRET_B, AT));
        assertThat(h.applied(new DeleteUser("u1"))).isEqualTo("u1");
        assertThat(h.kv.snapshot().keySet()).noneMatch(k -> k.startsWith("s3/user/") || k.startsWith("s3/key/")
                || k.startsWith("s3/secret/"));
        assertThat(h.rejected(new DeleteUser("u1"), NOT_FOUND)).contains("no S3 user");
        // The address is free again.
        h.applied(new CreateUser("u3", "ALICE@example.com", null, AT));
    }
}
