package io.keel.s3.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.s3.backend.BucketSetting;
import io.keel.s3.backend.ListQuery;
import io.keel.s3.backend.NewObject;
import io.keel.s3.backend.ObjectBody;
import io.keel.s3.backend.ObjectInfo;
import io.keel.s3.backend.ObjectMetadata;
import io.keel.s3.backend.UploadQuery;
import io.keel.s3.backend.VersionQuery;
import io.keel.s3.backend.VersioningState;
import io.keel.s3.settings.LifecycleSweeper;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LifecycleSweeperTest {
    /** A clock the test moves; the backend stamps objects with it, the sweeper judges them by it. */
    private static final class TestClock extends Clock {
        private Instant now = Instant.parse("2026-03-01T12:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private final TestClock clock = new TestClock();
    private final InMemoryBackend backend = new InMemoryBackend(clock);
    private final InMemoryBucketSettings settings = new InMemoryBucketSettings(backend);
    /** Page size 2 so every listing pages several times. */
    private final LifecycleSweeper sweeper = new LifecycleSweeper(backend, settings, clock, 2);

    private void put(String bucket, String key) throws Exception {
        byte[] b = key.getBytes();
        ObjectBody body = new ObjectBody(new ByteArrayInputStream(b), b.length, Optional.empty());
        backend.putObject(bucket, key, new NewObject("alice", ObjectMetadata.empty(), Map.of()), body);
    }

    private List<String> keys(String bucket) throws Exception {
        return backend.listObjects(bucket, new ListQuery("", Optional.empty(), Optional.empty(), 1000)).items().stream()
                .map(ObjectInfo::key).toList();
    }

    private void rules(String bucket, String rules) throws Exception {
        settings.put(bucket, BucketSetting.LIFECYCLE, "<LifecycleConfiguration>" + rules + "</LifecycleConfiguration>");
    }

    @Test
    void currentObjectsUnderThePrefixExpireAfterTheirDaysRoundedToMidnight() throws Exception {
        backend.createBucket("logs", "alice", "r");
        for (String k : List.of("logs/a", "logs/b", "logs/c", "logs/d", "logs/e", "keep/a")) {
            put("logs", k);
        }
        rules("logs", "<Rule><ID>r</ID><Filter><Prefix>logs/</Prefix></Filter><Status>Enabled</Status>"
                + "<Expiration><Days>1</Days></Expiration></Rule>");
        clock.advance(Duration.ofHours(24)); // 1 day later but before the midnight after it
        assertThat(sweeper.sweep(List.of("logs"))).isEqualTo(new LifecycleSweeper.Result(0, 0, 0, 0));
        put("logs", "logs/fresh");
        clock.advance(Duration.ofHours(12)); // past 2026-03-03T00:00Z
        assertThat(sweeper.sweep(List.of("logs")).expired()).isEqualTo(5);
        assertThat(keys("logs")).containsExactly("keep/a", "logs/fresh");
        assertThat(sweeper.sweep(List.of("logs", "no-such-bucket"))).isEqualTo(new LifecycleSweeper.Result(0, 0, 0, 0));
    }

    @Test
    void aDateExpiresEveryCurrentObjectUnderThePrefixFromThatDayOn() throws Exception {
        backend.createBucket("tmp", "alice", "r");
        for (String k : List.of("tmp/a", "tmp/b", "tmp/c", "keep/a")) {
            put("tmp", k);
        }
        rules("tmp", "<Rule><ID>d</ID><Filter><Prefix>tmp/</Prefix></Filter><Status>Enabled</Status>"
                + "<Expiration><Date>2026-03-03T00:00:00Z</Date></Expiration></Rule>");
        clock.advance(Duration.ofHours(35)); // 2026-03-02T23:00Z: the day has not come
        assertThat(sweeper.sweep(List.of("tmp"))).isEqualTo(new LifecycleSweeper.Result(0, 0, 0, 0));
        clock.advance(Duration.ofHours(2));
        put("tmp", "tmp/new"); // written on the day itself: expires too, whatever its age
        assertThat(sweeper.sweep(List.of("tmp")).expired()).isEqualTo(4);
        assertThat(keys("tmp")).containsExactly("keep/a");
    }

    @Test
    void versionedBucketsGetDeleteMarkersThenNoncurrentVersionsGo() throws Exception {
        backend.createBucket("ver", "alice", "r");
        backend.setVersioning("ver", VersioningState.ENABLED);
        for (int i = 0; i < 3; i++) {
            put("ver", "doc");
            put("ver", "other");
            clock.advance(Duration.ofDays(1));
        }
        rules("ver", "<Rule><ID>nc</ID><Filter/><Status>Enabled</Status>"
                + "<NoncurrentVersionExpiration><NoncurrentDays>2</NoncurrentDays></NoncurrentVersionExpiration></Rule>");
        // Versions 1 became noncurrent on day 1, versions 2 on day 2: only the oldest are due by day 3 + midnight.
        clock.advance(Duration.ofHours(12));
        LifecycleSweeper.Result r = sweeper.sweep("ver");
        assertThat(r.noncurrentRemoved()).isEqualTo(2);
        assertThat(versions("ver")).isEqualTo(4);
        assertThat(sweeper.sweep("ver").noncurrentRemoved()).isZero();
        clock.advance(Duration.ofDays(1));
        assertThat(sweeper.sweep("ver").noncurrentRemoved()).isEqualTo(2);
        assertThat(versions("ver")).isEqualTo(2);
        assertThat(keys("ver")).containsExactly("doc", "other");

        rules("ver", "<Rule><ID>exp</ID><Filter><Prefix>doc</Prefix></Filter><Status>Enabled</Status>"
                + "<Expiration><Days>1</Days></Expiration></Rule><Rule><ID>off</ID><Filter/><Status>Disabled</Status>"
                + "<Expiration><Days>1</Days></Expiration></Rule>");
        assertThat(sweeper.sweep("ver").expired()).isEqualTo(1);
        assertThat(keys("ver")).containsExactly("other");
        assertThat(versions("ver")).isEqualTo(3); // the data version stays behind the new delete marker
        assertThat(sweeper.sweep("ver").expired()).isZero();
    }

    @Test
    void staleMultipartUploadsAreAborted() throws Exception {
        backend.createBucket("up", "alice", "r");
        NewObject o = new NewObject("alice", ObjectMetadata.empty(), Map.of());
        for (int i = 0; i < 5; i++) {
            backend.createMultipartUpload("up", "big/" + i, o);
        }
        backend.createMultipartUpload("up", "small", o);
        clock.advance(Duration.ofDays(3));
        backend.createMultipartUpload("up", "big/new", o);
        rules("up", "<Rule><ID>mpu</ID><Filter><Prefix>big/</Prefix></Filter><Status>Enabled</Status>"
                + "<AbortIncompleteMultipartUpload><DaysAfterInitiation>2</DaysAfterInitiation>"
                + "</AbortIncompleteMultipartUpload></Rule>");
        assertThat(sweeper.sweep(List.of("up"))).isEqualTo(new LifecycleSweeper.Result(0, 0, 5, 0));
        assertThat(backend.listMultipartUploads("up", new UploadQuery("", Optional.empty(), Optional.empty(), 100))
                .items()).extracting(u -> u.key()).containsExactly("big/new", "small");
        assertThat(sweeper.sweep("up").uploadsAborted()).isZero();
    }

    @Test
    void bucketsWithoutRulesAreLeftAlone() throws Exception {
        backend.createBucket("plain", "alice", "r");
        put("plain", "k");
        clock.advance(Duration.ofDays(3650));
        assertThat(sweeper.sweep(List.of("plain"))).isEqualTo(new LifecycleSweeper.Result(0, 0, 0, 0));
        assertThat(keys("plain")).containsExactly("k");
    }

    private int versions(String bucket) throws Exception {
        return backend.listVersions(bucket, new VersionQuery("", Optional.empty(), Optional.empty(), Optional.empty(),
                1000)).items().size();
    }
}
