package io.keel.node.service;

import io.keel.api.ApiException;
import io.keel.api.S3ObjectService;
import io.keel.api.dto.CreateS3BucketRequest;
import io.keel.api.dto.S3BucketView;
import io.keel.api.dto.S3LifecycleSweepView;
import io.keel.api.dto.S3ObjectListView;
import io.keel.api.dto.S3ObjectView;
import io.keel.api.dto.S3PutObjectView;
import io.keel.api.dto.S3BucketUsageView;
import io.keel.api.dto.S3UsageView;
import io.keel.meta.cluster.ChunkServiceInfo;
import io.keel.meta.cluster.DiskRole;
import io.keel.meta.cluster.S3Bucket;
import io.keel.meta.cluster.StoragePolicy;
import io.keel.s3store.BucketUsage;
import io.keel.meta.cluster.ClusterState;
import io.keel.meta.cluster.NodeRecord;
import io.keel.meta.cluster.S3Cluster;
import io.keel.meta.cluster.S3User;
import io.keel.node.s3.S3Gateways;
import io.keel.s3.address.BucketNames;
import io.keel.s3.backend.BucketInfo;
import io.keel.s3.backend.ListPage;
import io.keel.s3.backend.ListQuery;
import io.keel.s3.backend.NewObject;
import io.keel.s3.backend.ObjectBody;
import io.keel.s3.backend.ObjectInfo;
import io.keel.s3.backend.ObjectMetadata;
import io.keel.s3.backend.S3Backend;
import io.keel.s3.backend.StoredObject;
import io.keel.s3.error.S3Exception;
import io.keel.s3.ops.ListHandlers;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The superadmin's bucket browser over this node's own S3 backend, the one its gateways serve, so
 * every rule of S3 (names, emptiness, versioning, visibility) holds exactly as for S3 clients. The
 * backend exists only on the S3 cluster's nodes once their gateway started; elsewhere the answer
 * names the nodes to ask instead.
 */
public final class S3ObjectServiceImpl implements S3ObjectService {
    private final String selfId;
    private final Supplier<ClusterState> state;
    private final Supplier<Optional<S3Backend>> backend;
    private final UsageReader usage;
    private final LifecycleRunner lifecycle;

    /** Reads one bucket's counters from the object index ({@code KeelS3Backend::usage}). */
    @FunctionalInterface
    public interface UsageReader {
        BucketUsage read(S3Backend backend, String bucket) throws S3Exception;
    }

    /** Sweeps the buckets that have lifecycle rules through a backend, now (the node's S3 stack). */
    @FunctionalInterface
    public interface LifecycleRunner {
        S3LifecycleSweepView sweep(S3Backend backend, ClusterState state);
    }

    /**
     * @param backend   this node's S3 backend once its gateway built one ({@code S3Stack::current})
     * @param usage     how a bucket's counters are read from that backend
     * @param lifecycle how a lifecycle sweep runs through that backend
     */
    public S3ObjectServiceImpl(String selfId, Supplier<ClusterState> state, Supplier<Optional<S3Backend>> backend,
            UsageReader usage, LifecycleRunner lifecycle) {
        this.selfId = Objects.requireNonNull(selfId, "selfId");
        this.state = Objects.requireNonNull(state, "state");
        this.backend = Objects.requireNonNull(backend, "backend");
        this.usage = Objects.requireNonNull(usage, "usage");
        this.lifecycle = Objects.requireNonNull(lifecycle, "lifecycle");
    }

    @Override
    public S3LifecycleSweepView sweepLifecycle() {
        return lifecycle.sweep(backend(), state.get());
    }

    @Override
    public S3UsageView usage() {
        S3Backend b = backend();
        ClusterState s = state.get();
        List<S3BucketUsageView> per = new ArrayList<>();
        List<String> unread = new ArrayList<>();
        long objects = 0;
        long bytes = 0;
        long versions = 0;
        long stored = 0;
        long uploads = 0;
        for (S3Bucket bucket : s.s3().buckets()) {
            BucketUsage u;
            try {
                u = usage.read(b, bucket.name());
            } catch (S3Exception | RuntimeException e) {
                // An index shard without quorum, or a bucket deleted meanwhile: the rest still add up.
                unread.add(bucket.name());
                continue;
            }
            per.add(new S3BucketUsageView(bucket.name(), u.objects(), u.bytes(), u.versions(), u.storedBytes(),
                    u.uploads()));
            objects += u.objects();
            bytes += u.bytes();
            versions += u.versions();
            stored += u.storedBytes();
            uploads += u.uploads();
        }
        return new S3UsageView(per.size() + unread.size(), objects, bytes, versions, stored, uploads, freeBytes(s),
                per, unread);
    }

    /**
     * Object data the S3 policy could still take: its tier's free space over the policy's overhead.
     * An estimate that ignores placement rules (a failure domain may fill first), as volumes' would.
     */
    static long freeBytes(ClusterState s) {
        StoragePolicy policy = s.s3().cluster().flatMap(c -> s.policy(c.policy())).orElse(null);
        if (policy == null) {
            return 0;
        }
        long free = 0;
        for (ChunkServiceInfo cs : s.chunkServices()) {
            Integer tier = s.node(cs.nodeId()).map(n -> n.roleOf(cs.diskId())).map(DiskRole::tier).orElse(null);
            if (tier != null && tier == policy.tier()) {
                free += Math.max(0, cs.freeBytes());
            }
        }
        return (long) (free / policy.overhead());
    }

    @Override
    public S3BucketView createBucket(CreateS3BucketRequest r) {
        Objects.requireNonNull(r, "request");
        String name = Objects.requireNonNull(r.name(), "name");
        BucketNames.problem(name).ifPresent(problem -> {
            throw new ApiException(400, "invalid", problem, Map.of("field", "name"));
        });
        S3Backend b = backend();
        ClusterState s = state.get();
        S3User owner = s.s3().userByIdOrEmail(Objects.requireNonNull(r.owner(), "owner").strip())
                .orElseThrow(() -> ApiException.notFound("no S3 user " + r.owner()));
        if (s.s3().bucket(name).isPresent()) {
            throw exists(name);
        }
        BucketInfo created;
        try {
            created = b.createBucket(name, owner.id(), S3Gateways.REGION);
        } catch (S3Exception e) {
            throw api(e, name, null);
        }
        ClusterState after = state.get();
        return after.s3().bucket(name).map(bucket -> S3ServiceImpl.view(after, bucket))
                .orElseGet(() -> new S3BucketView(name, owner.id(), owner.email(), "UNVERSIONED", created.created()));
    }

    @Override
    public void deleteBucket(String bucket) {
        Objects.requireNonNull(bucket, "bucket");
        S3Backend b = backend();
        try {
            b.deleteBucket(bucket);
        } catch (S3Exception e) {
            throw api(e, bucket, null);
        }
    }

    @Override
    public S3ObjectListView listObjects(String bucket, ObjectQuery q) {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(q, "query");
        S3Backend b = backend();
        ListPage<ObjectInfo> page;
        try {
            Optional<String> after = q.after() == null ? Optional.empty()
                    : Optional.of(ListHandlers.decodeToken(q.after()));
            page = b.listObjects(bucket, new ListQuery(q.prefix(), Optional.of(q.delimiter()), after, q.limit()));
        } catch (S3Exception e) {
            throw api(e, bucket, null);
        }
        return new S3ObjectListView(page.items().stream().map(o -> new S3ObjectView(o.key(), o.size(), quoted(o.etag()),
                o.lastModified(), o.metadata().contentType())).toList(), page.prefixes(),
                page.truncated() ? ListHandlers.encodeToken(page.lastName()) : null);
    }

    @Override
    public Download getObject(String bucket, String key) {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
        S3Backend b = backend();
        StoredObject stored;
        try {
            stored = b.getObject(bucket, key, Optional.empty());
        } catch (S3Exception e) {
            throw api(e, bucket, key);
        }
        ObjectInfo info = stored.info();
        try {
            InputStream bytes = stored.open(0, info.size());
            // Closing the download closes the handle too: it may pin the version's data.
            InputStream body = new FilterInputStream(bytes) {
                @Override
                public void close() throws IOException {
                    try {
                        super.close();
                    } finally {
                        stored.close();
                    }
                }
            };
            return new Download(info.metadata().contentType(), info.size(), quoted(info.etag()), body);
        } catch (S3Exception e) {
            stored.close();
            throw api(e, bucket, key);
        } catch (IOException e) {
            stored.close();
            throw new UncheckedIOException("cannot read object " + key + " of bucket " + bucket, e);
        }
    }

    @Override
    public S3PutObjectView putObject(String bucket, String key, String contentType, InputStream body,
            long contentLength) {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
        S3Backend b = backend();
        String owner = b.bucket(bucket).map(BucketInfo::owner)
                .orElseThrow(() -> ApiException.notFound("no bucket " + bucket));
        ObjectMetadata metadata = new ObjectMetadata(contentType, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Map.of());
        ClientStream client = new ClientStream(body);
        try {
            ObjectInfo info = b.putObject(bucket, key, new NewObject(owner, metadata, Map.of()),
                    new ObjectBody(client, contentLength, Optional.empty()));
            return new S3PutObjectView(key, info.size(), quoted(info.etag()));
        } catch (S3Exception e) {
            throw api(e, bucket, key);
        } catch (IOException e) {
            if (client.failed) {
                throw ApiException.invalid("the upload of " + key + " ended before its body did: " + e.getMessage());
            }
            throw new UncheckedIOException("cannot store object " + key + " in bucket " + bucket, e);
        }
    }

    @Override
    public void deleteObject(String bucket, String key) {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
        S3Backend b = backend();
        try {
            b.deleteObject(bucket, key, Optional.empty());
        } catch (S3Exception e) {
            throw api(e, bucket, key);
        }
    }

    /** This node's backend: 409 without an S3 cluster, 503 on a node that serves none (yet). */
    private S3Backend backend() {
        ClusterState s = state.get();
        S3Cluster cluster = s.s3().cluster().orElseThrow(() -> ApiException.conflict(
                "there is no S3 cluster: create it with 'keel s3 cluster create'"));
        String self = name(s, selfId);
        if (!cluster.runsOn(selfId)) {
            throw new ApiException(503, "unavailable", self + " runs no S3 gateway; the S3 cluster's nodes are "
                    + cluster.nodeIds().stream().map(id -> name(s, id)).collect(Collectors.joining(", ")));
        }
        return backend.get().orElseThrow(() -> new ApiException(503, "unavailable",
                "the S3 gateway of " + self + " has not started yet: try again in a few seconds"));
    }

    private static String name(ClusterState s, String nodeId) {
        return s.node(nodeId).map(NodeRecord::name).orElse(nodeId);
    }

    /** The backend's S3 refusal as the API's, worded for the administrator. */
    static ApiException api(S3Exception e, String bucket, String key) {
        return switch (e.code()) {
            case NO_SUCH_BUCKET -> ApiException.notFound("no bucket " + bucket);
            case NO_SUCH_KEY -> ApiException.notFound("no object " + key + " in bucket " + bucket);
            case BUCKET_NOT_EMPTY -> ApiException.conflict("bucket " + bucket + " is not empty");
            case BUCKET_ALREADY_EXISTS, BUCKET_ALREADY_OWNED_BY_YOU -> exists(bucket);
            case INVALID_BUCKET_NAME -> ApiException.invalid(e.getMessage());
            default -> e.httpStatus() >= 500 ? new ApiException(503, "unavailable", "the S3 backend cannot answer now: "
                    + e.getMessage()) : new ApiException(e.httpStatus() == 404 ? 404 : 400,
                    e.httpStatus() == 404 ? "not_found" : "invalid", e.getMessage());
        };
    }

    private static ApiException exists(String bucket) {
        return ApiException.conflict("bucket " + bucket + " exists");
    }

    private static String quoted(String etag) {
        return etag.startsWith("\"") ? etag : "\"" + etag + "\"";
    }

    /** Tells a client that stopped sending from a backend that failed while storing. */
    private static final class ClientStream extends FilterInputStream {
        private boolean failed;

        ClientStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }
    }
}
