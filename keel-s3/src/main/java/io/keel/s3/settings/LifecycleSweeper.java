package io.keel.s3.settings;

import io.keel.s3.backend.BucketSetting;
import io.keel.s3.backend.BucketSettings;
import io.keel.s3.backend.ListPage;
import io.keel.s3.backend.ListQuery;
import io.keel.s3.backend.MultipartUpload;
import io.keel.s3.backend.ObjectInfo;
import io.keel.s3.backend.ObjectVersion;
import io.keel.s3.backend.S3Backend;
import io.keel.s3.backend.StoredObject;
import io.keel.s3.backend.UploadQuery;
import io.keel.s3.backend.VersionQuery;
import io.keel.s3.error.S3ErrorCode;
import io.keel.s3.error.S3Exception;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies buckets' lifecycle expiration rules through the storage-neutral backend: pages through
 * current objects, versions and multipart uploads under each enabled rule's prefix (at most
 * {@code pageSize} entries per listing call) and deletes what is due. Running it again finds
 * nothing more to do, so the node may run it on any schedule, on any one gateway, and after a
 * crash. A bucket that fails is logged and skipped; the others are still swept.
 */
public final class LifecycleSweeper {
    private static final Logger LOG = LoggerFactory.getLogger(LifecycleSweeper.class);

    /** What one sweep did. */
    public record Result(long expired, long noncurrentRemoved, long uploadsAborted, long failedBuckets) {
        Result plus(Result o) {
            return new Result(expired + o.expired, noncurrentRemoved + o.noncurrentRemoved,
                    uploadsAborted + o.uploadsAborted, failedBuckets + o.failedBuckets);
        }
    }

    private final S3Backend backend;
    private final BucketSettings settings;
    private final Clock clock;
    private final int pageSize;

    public LifecycleSweeper(S3Backend backend, BucketSettings settings, Clock clock, int pageSize) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (pageSize < 1 || pageSize > 1000) {
            throw new IllegalArgumentException("page size must be 1-1000, not " + pageSize);
        }
        this.pageSize = pageSize;
    }

    public Result sweep(List<String> buckets) {
        Result total = new Result(0, 0, 0, 0);
        for (String bucket : buckets) {
            try {
                total = total.plus(sweep(bucket));
            } catch (S3Exception e) {
                if (e.code() != S3ErrorCode.NO_SUCH_BUCKET) { // deleted meanwhile: nothing left to expire
                    LOG.warn("lifecycle sweep of bucket {} failed: {}", bucket, e.getMessage());
                    total = total.plus(new Result(0, 0, 0, 1));
                }
            } catch (RuntimeException e) {
                LOG.warn("lifecycle sweep of bucket {} failed", bucket, e);
                total = total.plus(new Result(0, 0, 0, 1));
            }
        }
        return total;
    }

    /** Sweeps one bucket with the rules stored for it; none stored, nothing done. */
    public Result sweep(String bucket) throws S3Exception {
        Optional<String> doc = settings.get(bucket, BucketSetting.LIFECYCLE);
        if (doc.isEmpty()) {
            return new Result(0, 0, 0, 0);
        }
        LifecycleConfiguration config = LifecycleConfiguration.parse(doc.get().getBytes(StandardCharsets.UTF_8));
        Instant now = clock.instant();
        Result r = new Result(0, 0, 0, 0);
        for (LifecycleConfiguration.Rule rule : config.rules()) {
            if (!rule.enabled()) {
                continue;
            }
            long expired = rule.expiresCurrent() ? expireCurrent(bucket, rule, now) : 0;
            long noncurrent = rule.noncurrentDays().isPresent() ? expireNoncurrent(bucket, rule, now) : 0;
            long aborted = rule.abortIncompleteDays().isPresent() ? abortUploads(bucket, rule, now) : 0;
            r = r.plus(new Result(expired, noncurrent, aborted, 0));
        }
        return r;
    }

    /**
     * Current versions older than the rule's days, or all of them once its date has come: removed,
     * or hidden by a delete marker if versioned.
     */
    private long expireCurrent(String bucket, LifecycleConfiguration.Rule rule, Instant now) throws S3Exception {
        if (rule.expirationDate().isPresent() && now.isBefore(rule.expirationDate().get())) {
            return 0;
        }
        boolean byDate = rule.expirationDate().isPresent();
        int days = rule.expirationDays().orElse(0);
        long count = 0;
        Optional<String> after = Optional.empty();
        while (true) {
            ListPage<ObjectInfo> page = backend.listObjects(bucket, new ListQuery(rule.prefix(), Optional.empty(),
                    after, pageSize));
            for (ObjectInfo o : page.items()) {
                if ((byDate || due(o.lastModified(), days, now)) && stillCurrent(bucket, o)) {
                    backend.deleteObject(bucket, o.key(), Optional.empty());
                    count++;
                }
            }
            if (!page.truncated() || page.entries().isEmpty()) {
                return count;
            }
            after = Optional.of(page.lastName());
        }
    }

    /**
     * Narrows the race with a concurrent overwrite: the backend has no conditional delete, so a
     * key rewritten between the listing and here would otherwise lose its fresh version.
     */
    private boolean stillCurrent(String bucket, ObjectInfo listed) throws S3Exception {
        try (StoredObject now = backend.getObject(bucket, listed.key(), Optional.empty())) {
            ObjectInfo i = now.info();
            return i.etag().equals(listed.etag()) && i.lastModified().equals(listed.lastModified())
                    && i.versionId().equals(listed.versionId());
        } catch (S3Exception e) {
            if (e.code() == S3ErrorCode.NO_SUCH_KEY) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Noncurrent versions (and delete markers) whose successor was written more than the rule's
     * days ago: S3 counts from when a version stopped being current, which is its successor's time.
     */
    private long expireNoncurrent(String bucket, LifecycleConfiguration.Rule rule, Instant now) throws S3Exception {
        int days = rule.noncurrentDays().getAsInt();
        long count = 0;
        Optional<String> keyMarker = Optional.empty();
        Optional<String> versionMarker = Optional.empty();
        String previousKey = null;
        Instant successorTime = null;
        Optional<String> previousFirst = Optional.empty();
        while (true) {
            ListPage<ObjectVersion> page = backend.listVersions(bucket, new VersionQuery(rule.prefix(),
                    Optional.empty(), keyMarker, versionMarker, pageSize));
            Optional<String> first = page.items().stream().findFirst().map(v -> v.key() + "\u0000" + v.versionId());
            if (first.isPresent() && first.equals(previousFirst)) {
                // The same page again: the backend did not remove what it was asked to. Stop, never spin.
                LOG.warn("lifecycle sweep of bucket {}: versions were not removed; stopping", bucket);
                return count;
            }
            previousFirst = first;
            for (ObjectVersion v : page.items()) {
                Instant written = switch (v) {
                    case ObjectVersion.Version x -> x.info().lastModified();
                    case ObjectVersion.DeleteMarker m -> m.lastModified();
                };
                boolean removed = false;
                if (!v.latest() && v.key().equals(previousKey) && successorTime != null
                        && due(successorTime, days, now)) {
                    backend.deleteObject(bucket, v.key(), Optional.of(v.versionId()));
                    count++;
                    removed = true;
                }
                previousKey = v.key();
                successorTime = written;
                if (!removed) {
                    // Resume after a version that still exists: a removed one cannot mark a position.
                    keyMarker = Optional.of(v.key());
                    versionMarker = Optional.of(v.versionId());
                }
            }
            if (!page.truncated() || page.entries().isEmpty()) {
                return count;
            }
        }
    }

    private long abortUploads(String bucket, LifecycleConfiguration.Rule rule, Instant now) throws S3Exception {
        int days = rule.abortIncompleteDays().getAsInt();
        long count = 0;
        Optional<String> keyMarker = Optional.empty();
        Optional<String> uploadMarker = Optional.empty();
        while (true) {
            ListPage<MultipartUpload> page = backend.listMultipartUploads(bucket, new UploadQuery(rule.prefix(),
                    keyMarker, uploadMarker, pageSize));
            for (MultipartUpload u : page.items()) {
                if (due(u.initiated(), days, now)) {
                    try {
                        backend.abortMultipartUpload(bucket, u.key(), u.uploadId());
                        count++;
                    } catch (S3Exception e) {
                        if (e.code() != S3ErrorCode.NO_SUCH_UPLOAD) { // completed or aborted meanwhile
                            throw e;
                        }
                    }
                }
                keyMarker = Optional.of(u.key());
                uploadMarker = Optional.of(u.uploadId());
            }
            if (!page.truncated() || page.entries().isEmpty()) {
                return count;
            }
        }
    }

    private static boolean due(Instant start, int days, Instant now) {
        return !now.isBefore(LifecycleConfiguration.due(start, days));
    }
}
