package io.keel.meta.cluster;

import static io.keel.meta.cluster.RejectionCodes.CONFLICT;
import static io.keel.meta.cluster.RejectionCodes.INVALID;
import static io.keel.meta.cluster.RejectionCodes.NOT_FOUND;
import static io.keel.meta.cluster.S3Fixtures.AT;
import static org.assertj.core.api.Assertions.assertThat;

import io.keel.meta.cluster.S3Bucket.Versioning;
import io.keel.meta.cluster.S3Command.CreateBucket;
import io.keel.meta.cluster.S3Command.DeleteBucket;
import io.keel.meta.cluster.S3Command.EmptySeal;
import io.keel.meta.cluster.S3Command.SetBucketVersioning;
import org.junit.jupiter.api.Test;

class S3BucketCommandsTest {

    /** Users u1 (alice) and u2 (bob), bucket "photos" (id b1) of alice. */
    private static Harness withBucket() {
        Harness h = S3Fixtures.withUser();
        h.applied(new S3Command.CreateUser("u2", "bob@example.com", "Bob", AT));
        h.applied(new CreateBucket("b1", "photos", "u1", "idx-0", AT));
        return h;
    }

    @Test
    void aBucketIsCreatedUnversionedOnItsShardAtLayoutOne() {
        Harness h = withBucket();
        S3Bucket b = h.state().s3().bucket("photos").orElseThrow();
        assertThat(b).isEqualTo(new S3Bucket("b1", "photos", "u1", AT, Versioning.UNVERSIONED, "idx-0", 1));
        assertThat(h.state().s3().bucketsOf("u1")).containsExactly(b);
        assertThat(h.state().s3().bucketsOf("u2")).isEmpty();
        assertThat(h.state().s3().bucketsOnShard("idx-0")).containsExactly(b);
        assertThat(h.state().s3().bucket("Not A Bucket")).isEmpty();
        h.applied(new CreateBucket("b2", "a.b-c", "u2", "idx-0", AT));
        assertThat(h.state().s3().buckets()).extracting(S3Bucket::name).containsExactly("a.b-c", "photos");
    }

    @Test
    void aTakenNameIsAConflictThatSaysWhetherTheRequesterOwnsIt() {
        Harness h = withBucket();
        String own = h.rejected(new CreateBucket("b2", "photos", "u1", "idx-0", AT), CONFLICT);
        assertThat(own).contains("already exists and is owned by \"alice@example.com\"");
        String other = h.rejected(new CreateBucket("b2", "photos", "u2", "idx-0", AT), CONFLICT);
        assertThat(other).contains("unique across the S3 cluster").doesNotContain("alice");
        // The gateway maps the conflict by reading the owner: BucketAlreadyOwnedByYou vs BucketAlreadyExists.
        assertThat(h.state().s3().bucket("photos").orElseThrow().ownerId()).isEqualTo("u1");
    }

    @Test
    void aRepeatedCreateIsAppliedAndChangesNothing() {
        Harness h = withBucket();
        var before = h.kv.snapshot();
        assertThat(h.applied(new CreateBucket("b1", "photos", "u1", "idx-0", AT))).isEqualTo("b1");
        assertThat(h.kv.snapshot()).isEqualTo(before);
        assertThat(h.rejected(new CreateBucket("b1", "other", "u1", "idx-0", AT), CONFLICT)).contains("id \"b1\"");
    }

    @Test
    void badBucketsAreRefusedWithTheReason() {
        Harness h = withBucket();
        assertThat(h.rejected(new CreateBucket("b2", "ab", "u1", "idx-0", AT), INVALID)).contains("3-63");
        assertThat(h.rejected(new CreateBucket("b2", "Photos", "u1", "idx-0", AT), INVALID)).contains("lower-case");
        assertThat(h.rejected(new CreateBucket("b2", "192.168.1.1", "u1", "idx-0", AT), INVALID))
                .contains("IP address");
        assertThat(h.rejected(new CreateBucket("b2", "a..b", "u1", "idx-0", AT), INVALID)).contains("two dots");
        assertThat(h.rejected(new CreateBucket("b2", "xn--abc", "u1", "idx-0", AT), INVALID)).contains("reserved");
        assertThat(h.rejected(new CreateBucket("b2", "data-s3alias", "u1", "idx-0", AT), INVALID)).contains("reserved");
        assertThat(h.rejected(new CreateBucket("b/2", "logs", "u1", "idx-0", AT), INVALID)).contains("bucket id");
        assertThat(h.rejected(new CreateBucket("b2", "logs", "u9", "idx-0", AT), NOT_FOUND)).contains("no S3 user");
        assertThat(h.rejected(new CreateBucket("b2", "logs", "u1", "idx-7", AT), NOT_FOUND))
                .contains("no index shard \"idx-7\"");
        assertThat(h.rejected(new CreateBucket("b2", "logs", "u1", null, AT), INVALID)).contains("index shard");
        assertThat(h.rejected(new CreateBucket("b2", "logs", "u1", "idx-0", null), INVALID)).contains("time");
        assertThat(h.state().s3().buckets()).hasSize(1);
    }

    @Test
    void aUserOwnsAtMostTheLimitOfBuckets() {
        Harness h = S3Fixtures.withUser();
        for (int i = 0; i < S3BucketCommands.MAX_BUCKETS_PER_USER; i++) {
            h.applied(new CreateBucket("b" + i, "bucket-" + i, "u1", "idx-0", AT));
        }
        assertThat(h.rejected(new CreateBucket("bx", "one-more", "u1", "idx-0", AT), CONFLICT))
                .contains("the most a user can have");
    }

    @Test
    void deleteNeedsACurrentSealOfThisIncarnationAndLayout() {
        Harness h = withBucket();
        EmptySeal good = S3Fixtures.seal(h, "photos");
        assertThat(h.rejected(new DeleteBucket("photos", new EmptySeal("b0", 1, AT.plusSeconds(30)), AT), CONFLICT))
                .contains("an earlier bucket named \"photos\"");
        assertThat(h.rejected(new DeleteBucket("photos", new EmptySeal("b1", 2, AT.plusSeconds(30)), AT), CONFLICT))
                .contains("layout 1 since it was sealed under layout 2");
        assertThat(h.rejected(new DeleteBucket("photos", good, AT.plusSeconds(30)), CONFLICT)).contains("expired");
        assertThat(h.rejected(new DeleteBucket("photos", null, AT), INVALID)).contains("seal");
        assertThat(h.rejected(new DeleteBucket("photos", new EmptySeal("b1", 1, null), AT), INVALID))
                .contains("seal expiry");
        assertThat(h.rejected(new DeleteBucket("photos", good, null), INVALID)).contains("time");
        assertThat(h.rejected(new DeleteBucket("nope", good, AT), NOT_FOUND)).contains("no bucket \"nope\"");
        assertThat(h.applied(new DeleteBucket("photos", good, AT.plusSeconds(29)))).isEqualTo("b1");
        assertThat(h.state().s3().bucket("photos")).isEmpty();
        // A bucket created again under the name is another bucket: the old seal does not reach it.
        h.applied(new CreateBucket("b9", "photos", "u2", "idx-0", AT.plusSeconds(40)));
        assertThat(h.rejected(new DeleteBucket("photos", good, AT), CONFLICT)).contains("earlier bucket");
    }

    @Test
    void versioningIsEnabledOrSuspendedButNeverTurnedOff() {
        Harness h = withBucket();
        assertThat(h.rejected(new SetBucketVersioning("photos", Versioning.UNVERSIONED), INVALID))
                .contains("not turned off");
        h.applied(new SetBucketVersioning("photos", Versioning.ENABLED));
        assertThat(h.state().s3().bucket("photos").orElseThrow().versioning()).isEqualTo(Versioning.ENABLED);
        h.applied(new SetBucketVersioning("photos", Versioning.SUSPENDED));
        h.applied(new SetBucketVersioning("photos", Versioning.SUSPENDED));
        assertThat(h.state().s3().bucket("photos").orElseThrow().versioning()).isEqualTo(Versioning.SUSPENDED);
        assertThat(h.rejected(new SetBucketVersioning("photos", Versioning.UNVERSIONED), INVALID)).isNotEmpty();
        assertThat(h.rejected(new SetBucketVersioning("photos", null), INVALID)).contains("versioning");
        assertThat(h.rejected(new SetBucketVersioning("nope", Versioning.ENABLED), NOT_FOUND)).contains("no bucket");
        // Suspending a never-versioned bucket is allowed, as in S3.
        h.applied(new CreateBucket("b2", "logs", "u2", "idx-0", AT));
        h.applied(new SetBucketVersioning("logs", Versioning.SUSPENDED));
    }

    @Test
    void bucketCommandsNeedTheS3Cluster() {
        Harness h = Harness.withChunkServices();
        assertThat(h.rejected(new CreateBucket("b1", "photos", "u1", "idx-0", AT), NOT_FOUND)).contains("no S3 cluster");
        assertThat(h.rejected(new SetBucketVersioning("photos", Versioning.ENABLED), NOT_FOUND))
                .contains("no S3 cluster");
        assertThat(h.rejected(new DeleteBucket("photos", new EmptySeal("b1", 1, AT), AT), NOT_FOUND))
                .contains("no S3 cluster");
    }
}
