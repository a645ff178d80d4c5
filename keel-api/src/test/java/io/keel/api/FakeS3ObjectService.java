package io.keel.api;

import io.keel.api.dto.CreateS3BucketRequest;
import io.keel.api.dto.S3BucketUsageView;
import io.keel.api.dto.S3BucketView;
import io.keel.api.dto.S3LifecycleSweepView;
import io.keel.api.dto.S3UsageView;
import io.keel.api.dto.S3ObjectListView;
import io.keel.api.dto.S3ObjectView;
import io.keel.api.dto.S3PutObjectView;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Buckets of objects in memory, owned by alice (u-1): enough S3 for the routes, which only pass
 * requests through. Records every call; bucket "elsewhere" answers as a node without a gateway.
 */
final class FakeS3ObjectService implements S3ObjectService {
    record Stored(byte[] bytes, String contentType) {}

    final List<Object> calls = new CopyOnWriteArrayList<>();
    final Map<String, ConcurrentSkipListMap<String, Stored>> buckets = new ConcurrentHashMap<>();

    void reset() {
        calls.clear();
        buckets.clear();
        buckets.put("photos", new ConcurrentSkipListMap<>());
    }

    @Override
    public S3BucketView createBucket(CreateS3BucketRequest request) {
        calls.add(request);
        if (buckets.putIfAbsent(request.name(), new ConcurrentSkipListMap<>()) != null) {
            throw ApiException.conflict("bucket " + request.name() + " exists");
        }
        return new S3BucketView(request.name(), "u-1", "alice@example.com", "UNVERSIONED", FakeClusterService.T0);
    }

    @Override
    public void deleteBucket(String bucket) {
        calls.add("delete bucket " + bucket);
        if (!bucket(bucket).isEmpty()) {
            throw ApiException.conflict("bucket " + bucket + " is not empty");
        }
        buckets.remove(bucket);
    }

    @Override
    public S3ObjectListView listObjects(String bucket, ObjectQuery query) {
        calls.add(query);
        List<S3ObjectView> objects = bucket(bucket).entrySet().stream().filter(e -> e.getKey().startsWith(query.prefix()))
                .limit(query.limit()).map(e -> new S3ObjectView(e.getKey(), e.getValue().bytes().length, "\"e\"",
                        FakeClusterService.T0, e.getValue().contentType())).toList();
        return new S3ObjectListView(objects, List.of(), null);
    }

    @Override
    public Download getObject(String bucket, String key) {
        calls.add("get " + bucket + "/" + key);
        Stored s = bucket(bucket).get(key);
        if (s == null) {
            throw ApiException.notFound("no object " + key + " in bucket " + bucket);
        }
        return new Download(s.contentType(), s.bytes().length, "\"etag-1\"", new ByteArrayInputStream(s.bytes()));
    }

    @Override
    public S3PutObjectView putObject(String bucket, String key, String contentType, InputStream body,
            long contentLength) {
        calls.add("put " + bucket + "/" + key + " " + contentType + " " + contentLength);
        var objects = bucket(bucket);
        try {
            byte[] bytes = body.readAllBytes();
            objects.put(key, new Stored(bytes, contentType));
            return new S3PutObjectView(key, bytes.length, "\"etag-1\"");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public S3UsageView usage() {
        calls.add("usage");
        return new S3UsageView(1, 2, 3000, 4, 5000, 1, 1L << 40,
                List.of(new S3BucketUsageView("photos", 2, 3000, 4, 5000, 1)), List.of("broken"));
    }

    @Override
    public S3LifecycleSweepView sweepLifecycle() {
        calls.add("sweepLifecycle");
        return new S3LifecycleSweepView(2, 3, 1, 1, 0);
    }

    @Override
    public void deleteObject(String bucket, String key) {
        calls.add("delete " + bucket + "/" + key);
        bucket(bucket).remove(key);
    }

    private ConcurrentSkipListMap<String, Stored> bucket(String bucket) {
        if (bucket.equals("elsewhere")) {
            throw new ApiException(503, "unavailable", "node3 runs no S3 gateway; the S3 cluster's nodes are node1, node2");
        }
        var b = buckets.get(bucket);
        if (b == null) {
            throw ApiException.notFound("no bucket " + bucket);
        }
        return b;
    }
}
