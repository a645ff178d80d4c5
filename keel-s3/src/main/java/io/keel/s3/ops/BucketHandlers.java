package io.keel.s3.ops;

import io.keel.s3.address.BucketNames;
import io.keel.s3.backend.BucketInfo;
import io.keel.s3.backend.S3Backend;
import io.keel.s3.backend.VersioningState;
import io.keel.s3.error.S3ErrorCode;
import io.keel.s3.error.S3Exception;
import io.keel.s3.http.S3Request;
import io.keel.s3.http.S3Response;
import io.keel.s3.xml.RequestBodies;
import io.keel.s3.xml.SafeXml;
import io.keel.s3.xml.XmlWriter;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Service- and bucket-level operations. */
public final class BucketHandlers {
    private final S3Backend backend;
    private final String region;

    public BucketHandlers(S3Backend backend, String region) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.region = Objects.requireNonNull(region, "region");
    }

    /** ListBuckets, with the optional prefix / max-buckets / continuation-token paging. */
    public S3Response listBuckets(S3Request r) throws S3Exception {
        String prefix = r.param("prefix").orElse("");
        Optional<String> after = r.param("continuation-token").isPresent()
                ? Optional.of(ListHandlers.decodeToken(r.param("continuation-token").get())) : Optional.empty();
        int max = r.param("max-buckets").isPresent() ? ListHandlers.maxKeys(r, "max-buckets") : Integer.MAX_VALUE;
        if (r.param("max-buckets").isPresent() && max < 1) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "max-buckets must be between 1 and 1000");
        }
        List<BucketInfo> all = backend.listBuckets(r.user()).stream().filter(b -> b.name().startsWith(prefix))
                .filter(b -> after.isEmpty() || b.name().compareTo(after.get()) > 0)
                .sorted(Comparator.comparing(BucketInfo::name)).toList();
        List<BucketInfo> page = all.subList(0, Math.min(all.size(), max));
        XmlWriter w = XmlWriter.document("ListAllMyBucketsResult");
        owner(w, "Owner", r.user());
        w.start("Buckets");
        for (BucketInfo b : page) {
            w.start("Bucket").element("Name", b.name()).element("CreationDate", b.created())
                    .element("BucketRegion", b.region()).end();
        }
        w.end();
        if (page.size() < all.size()) {
            w.element("ContinuationToken", ListHandlers.encodeToken(page.getLast().name()));
        }
        r.param("prefix").ifPresent(p -> w.element("Prefix", p));
        return S3Response.xml(w.toBytes());
    }

    public S3Response create(S3Request r) throws IOException {
        String bucket = r.bucket();
        Optional<String> problem = BucketNames.problem(bucket);
        if (problem.isPresent()) {
            throw new S3Exception(S3ErrorCode.INVALID_BUCKET_NAME, "The specified bucket is not valid: " + problem.get());
        }
        byte[] body = SafeXml.read(r.body(), RequestBodies.MAX_SMALL_BYTES);
        if (body.length > 0) {
            Optional<String> constraint = RequestBodies.locationConstraint(body);
            if (constraint.isPresent() && !constraint.get().equals(region)) {
                throw new S3Exception(S3ErrorCode.ILLEGAL_LOCATION_CONSTRAINT,
                        "The " + constraint.get() + " location constraint is incompatible with this endpoint's region "
                                + region + ".");
            }
        }
        backend.createBucket(bucket, r.user(), region);
        return S3Response.status(200).header("Location", "/" + bucket).empty(0);
    }

    public S3Response head(S3Request r) throws S3Exception {
        BucketInfo b = require(r.bucket());
        return S3Response.status(200).header("x-amz-bucket-region", b.region()).empty(0);
    }

    public S3Response delete(S3Request r) throws S3Exception {
        backend.deleteBucket(r.bucket());
        return S3Response.status(204).empty();
    }

    public S3Response location(S3Request r) throws S3Exception {
        BucketInfo b = require(r.bucket());
        // As AWS answers: us-east-1, the region clients assume, is an empty constraint; some
        // clients take a literal "us-east-1" here for a region of its own.
        String region = b.region().equals("us-east-1") ? "" : b.region();
        return S3Response.xml(XmlWriter.document("LocationConstraint").text(region).toBytes());
    }

    public S3Response getVersioning(S3Request r) throws S3Exception {
        require(r.bucket());
        XmlWriter w = XmlWriter.document("VersioningConfiguration");
        switch (backend.versioning(r.bucket())) {
            case ENABLED -> w.element("Status", "Enabled");
            case SUSPENDED -> w.element("Status", "Suspended");
            case UNVERSIONED -> {
            }
        }
        return S3Response.xml(w.toBytes());
    }

    public S3Response putVersioning(S3Request r) throws IOException {
        require(r.bucket());
        VersioningState state = RequestBodies.versioning(SafeXml.read(r.body(), RequestBodies.MAX_SMALL_BYTES));
        backend.setVersioning(r.bucket(), state);
        return S3Response.status(200).empty(0);
    }

    BucketInfo require(String bucket) throws S3Exception {
        return backend.bucket(bucket).orElseThrow(() -> new S3Exception(S3ErrorCode.NO_SUCH_BUCKET));
    }

    static void owner(XmlWriter w, String element, String user) {
        w.start(element).element("ID", user).element("DisplayName", user).end();
    }
}
