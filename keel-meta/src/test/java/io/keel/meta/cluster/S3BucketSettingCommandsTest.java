package io.keel.meta.cluster;

import static io.keel.meta.cluster.RejectionCodes.INVALID;
import static io.keel.meta.cluster.RejectionCodes.NOT_FOUND;
import static io.keel.meta.cluster.S3Fixtures.AT;
import static org.assertj.core.api.Assertions.assertThat;

import io.keel.meta.cluster.S3BucketSetting.Kind;
import io.keel.meta.cluster.S3Command.CreateBucket;
import io.keel.meta.cluster.S3Command.DeleteBucket;
import io.keel.meta.cluster.S3Command.SetBucketSetting;
import java.util.Map;
import org.junit.jupiter.api.Test;

class S3BucketSettingCommandsTest {
    private static final String POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[]}";
    private static final String CORS = "<CORSConfiguration/>";

    private static Harness withBucket() {
        Harness h = S3Fixtures.withUser();
        h.applied(new CreateBucket("b1", "photos", "u1", "idx-0", AT));
        return h;
    }

    @Test
    void documentsAreSetReplacedAndClearedEachUnderItsOwnKey() {
        Harness h = withBucket();
        S3State s3 = h.state().s3();
        assertThat(s3.bucketSetting("photos", Kind.POLICY)).isEmpty();
        assertThat(h.applied(new SetBucketSetting("photos", Kind.POLICY, POLICY))).isEqualTo("b1");
        h.applied(new SetBucketSetting("photos", Kind.CORS, CORS));
        assertThat(s3.bucketSetting("photos", Kind.POLICY)).contains(POLICY);
        assertThat(s3.bucketSettings("photos")).isEqualTo(Map.of(Kind.POLICY, POLICY, Kind.CORS, CORS));
        assertThat(h.kv.snapshot()).containsKeys("s3/bucket-setting/photos/policy", "s3/bucket-setting/photos/cors");
        // Bucket listing is a scan of s3/bucket/: documents must not appear in it.
        assertThat(s3.buckets()).extracting(S3Bucket::name).containsExactly("photos");
        h.applied(new SetBucketSetting("photos", Kind.POLICY, "{\"Statement\":[1]}"));
        assertThat(s3.bucketSetting("photos", Kind.POLICY)).contains("{\"Statement\":[1]}");
        h.applied(new SetBucketSetting("photos", Kind.POLICY, null));
        h.applied(new SetBucketSetting("photos", Kind.POLICY, null));
        assertThat(s3.bucketSettings("photos")).isEqualTo(Map.of(Kind.CORS, CORS));
        assertThat(s3.bucketSetting("nope", Kind.CORS)).isEmpty();
        assertThat(s3.bucketSetting("Not A Bucket", Kind.CORS)).isEmpty();
    }

    @Test
    void onlyTheSizeIsCheckedAndRefusalsSayWhy() {
        Harness h = withBucket();
        assertThat(h.rejected(new SetBucketSetting("photos", Kind.POLICY, "x".repeat(20 * 1024 + 1)), INVALID))
                .contains("20481 bytes; at most 20480");
        h.applied(new SetBucketSetting("photos", Kind.POLICY, "x".repeat(20 * 1024)));
        h.applied(new SetBucketSetting("photos", Kind.LIFECYCLE, "x".repeat(64 * 1024)));
        assertThat(h.rejected(new SetBucketSetting("photos", Kind.CORS, "é".repeat(32 * 1024 + 1)), INVALID))
                .contains("at most 65536");
        assertThat(h.rejected(new SetBucketSetting("photos", Kind.TAGGING, " "), INVALID)).contains("empty");
        assertThat(h.rejected(new SetBucketSetting("photos", null, CORS), INVALID)).contains("setting kind");
        assertThat(h.rejected(new SetBucketSetting("nope", Kind.CORS, CORS), NOT_FOUND)).contains("no bucket \"nope\"");
        assertThat(h.rejected(new SetBucketSetting(null, Kind.CORS, CORS), INVALID)).contains("bucket name");
    }

    @Test
    void documentsGoWithTheirBucket() {
        Harness h = withBucket();
        h.applied(new SetBucketSetting("photos", Kind.LIFECYCLE, "<LifecycleConfiguration/>"));
        h.applied(new SetBucketSetting("photos", Kind.TAGGING, "<Tagging/>"));
        h.applied(new DeleteBucket("photos", S3Fixtures.seal(h, "photos"), AT));
        assertThat(h.kv.snapshot().keySet()).noneMatch(k -> k.startsWith(S3State.BUCKET_SETTING_PREFIX));
        h.applied(new CreateBucket("b2", "photos", "u1", "idx-0", AT.plusSeconds(60)));
        assertThat(h.state().s3().bucketSettings("photos")).isEmpty();
    }

    @Test
    void aDocumentOfAnEarlierIncarnationIsNotServed() {
        Harness h = withBucket();
        // Written by hand: commands never leave one behind, but a reader must not trust the key alone.
        h.kv.put("s3/bucket-setting/photos/cors", new ClusterCodec().write(new S3BucketSetting("b0", Kind.CORS, CORS)));
        assertThat(h.state().s3().bucketSetting("photos", Kind.CORS)).isEmpty();
    }
}
