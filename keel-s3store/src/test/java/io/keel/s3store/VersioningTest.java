package io.keel.s3store;

import static io.keel.s3store.Bodies.alice;
import static io.keel.s3store.Bodies.body;
import static io.keel.s3store.Bodies.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.s3.backend.DeleteResult;
import io.keel.s3.backend.ListQuery;
import io.keel.s3.backend.ObjectInfo;
import io.keel.s3.backend.ObjectVersion;
import io.keel.s3.backend.VersionQuery;
import io.keel.s3.backend.VersioningState;
import io.keel.s3.error.S3ErrorCode;
import io.keel.s3.error.S3Exception;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Versioning semantics of KeelS3Backend against the fakes, with the index audited after each scenario. */
class VersioningTest {
    private final TestStore s = new TestStore();
    private final KeelS3Backend b = s.backend;

    private String id(String bucket) {
        return s.catalog.bucket(bucket).orElseThrow().id();
    }

    private static S3ErrorCode code(ThrowingRunnable r) {
        try {
            r.run();
        } catch (S3Exception e) {
            return e.code();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return null;
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    private List<String> versionIds(String bucket, String key) throws S3Exception {
        return b.listVersions(bucket, new VersionQuery(key, Optional.empty(), Optional.empty(), Optional.empty(), 1000))
                .items().stream().filter(v -> v.key().equals(key)).map(ObjectVersion::versionId).toList();
    }

    @Test
    void unversionedOverwriteReplacesAndFreesTheOldBytes() throws Exception {
        b.createBucket("plain", "alice", "keel-1");
        ObjectInfo first = b.putObject("plain", "k", alice(), body("one"));
        assertThat(first.versionId()).isEmpty();
        b.putObject("plain", "k", alice(), body("second"));
        assertThat(text(b.getObject("plain", "k", Optional.empty()))).isEqualTo("second");
        assertThat(IndexAudit.check(s, id("plain"))).isEqualTo(new BucketUsage(1, 6, 1, 6, 0));
        IndexAudit.checkData(s);
        assertThat(b.deleteObject("plain", "k", Optional.empty())).isEqualTo(new DeleteResult.Removed(Optional.empty(), false));
        assertThat(b.deleteObject("plain", "k", Optional.empty())).isEqualTo(new DeleteResult.Absent());
        assertThat(code(() -> b.getObject("plain", "k", Optional.empty()))).isEqualTo(S3ErrorCode.NO_SUCH_KEY);
        assertThat(code(() -> b.getObject("plain", "k", Optional.of("nope")))).isEqualTo(S3ErrorCode.NO_SUCH_KEY);
        assertThat(IndexAudit.check(s, id("plain"))).isEqualTo(new BucketUsage(0, 0, 0, 0, 0));
        IndexAudit.checkData(s);
    }

    @Test
    void enabledKeepsEveryVersionAndDeleteMarkersHideTheKey() throws Exception {
        b.createBucket("ver", "alice", "keel-1");
        b.putObject("ver", "k", alice(), body("pre")); // written before versioning: the null version
        b.setVersioning("ver", VersioningState.ENABLED);
        assertThat(b.versioning("ver")).isEqualTo(VersioningState.ENABLED);
        String v1 = b.putObject("ver", "k", alice(), body("v1")).versionId().orElseThrow();
        String v2 = b.putObject("ver", "k", alice(), body("v2")).versionId().orElseThrow();
        assertThat(v1).isNotEqualTo(v2).isNotEqualTo("null");
        assertThat(text(b.getObject("ver", "k", Optional.empty()))).isEqualTo("v2");
        assertThat(text(b.getObject("ver", "k", Optional.of(v1)))).isEqualTo("v1");
        assertThat(text(b.getObject("ver", "k", Optional.of("null")))).isEqualTo("pre");
        assertThat(versionIds("ver", "k")).containsExactly(v2, v1, "null");

        DeleteResult d = b.deleteObject("ver", "k", Optional.empty());
        String marker = ((DeleteResult.MarkerCreated) d).versionId();
        assertThat(code(() -> b.getObject("ver", "k", Optional.empty()))).isEqualTo(S3ErrorCode.NO_SUCH_KEY);
        assertThat(code(() -> b.getObject("ver", "k", Optional.of(marker)))).isEqualTo(S3ErrorCode.METHOD_NOT_ALLOWED);
        assertThat(code(() -> b.getObject("ver", "k", Optional.of("0123456789abcdefzz"))))
                .isEqualTo(S3ErrorCode.NO_SUCH_VERSION);
        assertThat(code(() -> b.getObject("ver", "k", Optional.of("garbage")))).isEqualTo(S3ErrorCode.NO_SUCH_VERSION);
        assertThat(b.listObjects("ver", new ListQuery("", Optional.empty(), Optional.empty(), 100)).items()).isEmpty();
        assertThat(IndexAudit.check(s, id("ver"))).isEqualTo(new BucketUsage(0, 0, 4, 7, 0));

        // Removing the marker by id brings v2 back; removing the current version promotes the next.
        assertThat(b.deleteObject("ver", "k", Optional.of(marker))).isEqualTo(new DeleteResult.Removed(Optional.of(marker), true));
        assertThat(text(b.getObject("ver", "k", Optional.empty()))).isEqualTo("v2");
        b.deleteObject("ver", "k", Optional.of(v2));
        assertThat(text(b.getObject("ver", "k", Optional.empty()))).isEqualTo("v1");
        assertThat(b.deleteObject("ver", "k", Optional.of(v2))).isEqualTo(new DeleteResult.Removed(Optional.of(v2), false));
        b.deleteObject("ver", "k", Optional.of("null"));
        assertThat(versionIds("ver", "k")).containsExactly(v1);
        assertThat(IndexAudit.check(s, id("ver"))).isEqualTo(new BucketUsage(1, 2, 1, 2, 0));
        b.deleteObject("ver", "k", Optional.of(v1));
        assertThat(IndexAudit.check(s, id("ver"))).isEqualTo(new BucketUsage(0, 0, 0, 0, 0));
        IndexAudit.checkData(s);
    }

    @Test
    void suspendedWritesReplaceTheNullVersionOnly() throws Exception {
        b.createBucket("sus", "alice", "keel-1");
        b.setVersioning("sus", VersioningState.ENABLED);
        String v1 = b.putObject("sus", "k", alice(), body("v1")).versionId().orElseThrow();
        b.setVersioning("sus", VersioningState.SUSPENDED);
        assertThat(b.putObject("sus", "k", alice(), body("n1")).versionId()).contains("null");
        assertThat(b.putObject("sus", "k", alice(), body("n22")).versionId()).contains("null");
        assertThat(versionIds("sus", "k")).containsExactly("null", v1);
        assertThat(text(b.getObject("sus", "k", Optional.of("null")))).isEqualTo("n22");
        // A delete while suspended makes the marker the null version, replacing n22.
        assertThat(b.deleteObject("sus", "k", Optional.empty())).isEqualTo(new DeleteResult.MarkerCreated("null"));
        assertThat(versionIds("sus", "k")).containsExactly("null", v1);
        assertThat(code(() -> b.getObject("sus", "k", Optional.empty()))).isEqualTo(S3ErrorCode.NO_SUCH_KEY);
        assertThat(IndexAudit.check(s, id("sus"))).isEqualTo(new BucketUsage(0, 0, 2, 2, 0));
        IndexAudit.checkData(s);
        assertThat(code(() -> b.setVersioning("sus", VersioningState.UNVERSIONED)))
                .isEqualTo(S3ErrorCode.ILLEGAL_VERSIONING_CONFIGURATION);
    }

    @Test
    void tagsOnCurrentAndOlderVersions() throws Exception {
        b.createBucket("tags", "alice", "keel-1");
        b.setVersioning("tags", VersioningState.ENABLED);
        String v1 = b.putObject("tags", "k", alice(), body("v1")).versionId().orElseThrow();
        b.putObject("tags", "k", alice(), body("v2"));
        b.putTags("tags", "k", Optional.empty(), Map.of("a", "1"));
        b.putTags("tags", "k", Optional.of(v1), Map.of("old", "yes"));
        assertThat(b.getObject("tags", "k", Optional.empty()).info().tags()).isEqualTo(Map.of("a", "1"));
        assertThat(b.getObject("tags", "k", Optional.of(v1)).info().tags()).isEqualTo(Map.of("old", "yes"));
        assertThat(b.listObjects("tags", new ListQuery("", Optional.empty(), Optional.empty(), 10)).items().getFirst().tags())
                .isEqualTo(Map.of("a", "1"));
        assertThat(code(() -> b.putTags("tags", "missing", Optional.empty(), Map.of()))).isEqualTo(S3ErrorCode.NO_SUCH_KEY);
        IndexAudit.check(s, id("tags"));
    }

    @Test
    void aFailedBodyLeavesNothing() throws Exception {
        b.createBucket("fail", "alice", "keel-1");
        assertThat(code(() -> b.putObject("fail", "k", alice(), Bodies.failing(new byte[100]))))
                .isEqualTo(S3ErrorCode.BAD_DIGEST);
        assertThat(code(() -> b.getObject("fail", "k", Optional.empty()))).isEqualTo(S3ErrorCode.NO_SUCH_KEY);
        assertThat(IndexAudit.check(s, id("fail"))).isEqualTo(new BucketUsage(0, 0, 0, 0, 0));
        assertThat(code(() -> b.putObject("nobucket", "k", alice(), body("x")))).isEqualTo(S3ErrorCode.NO_SUCH_BUCKET);
        IndexAudit.checkData(s);
    }

    @Test
    void copyDuplicatesTheBytes() throws Exception {
        b.createBucket("cp", "alice", "keel-1");
        ObjectInfo src = b.putObject("cp", "a", alice(), body("payload"));
        ObjectInfo copy = b.copyObject(b.getObject("cp", "a", Optional.empty()), "cp", "b", alice());
        assertThat(copy.etag()).isEqualTo(src.etag());
        b.deleteObject("cp", "a", Optional.empty());
        assertThat(text(b.getObject("cp", "b", Optional.empty()))).isEqualTo("payload");
        IndexAudit.check(s, id("cp"));
        IndexAudit.checkData(s);
    }
}
