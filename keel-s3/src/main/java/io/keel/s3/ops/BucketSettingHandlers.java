package io.keel.s3.ops;

import io.keel.s3.backend.BucketSetting;
import io.keel.s3.backend.BucketSettings;
import io.keel.s3.error.S3ErrorCode;
import io.keel.s3.error.S3Exception;
import io.keel.s3.http.S3Operation;
import io.keel.s3.http.S3Request;
import io.keel.s3.http.S3Response;
import io.keel.s3.settings.BucketPolicy;
import io.keel.s3.settings.BucketTagging;
import io.keel.s3.settings.CorsConfiguration;
import io.keel.s3.settings.LifecycleConfiguration;
import io.keel.s3.xml.SafeXml;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Put/Get/Delete of CORS, bucket tagging, bucket policy and lifecycle. A PUT is parsed and checked
 * completely, then stored in canonical form, so what GET answers and what the gateway enforces
 * are the same reading of the document.
 */
public final class BucketSettingHandlers {
    private final BucketSettings settings;

    public BucketSettingHandlers(BucketSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public S3Response handle(S3Operation.OnBucketSetting op, S3Request r) throws IOException {
        BucketSetting kind = op.kind();
        return switch (op.verb()) {
            case PUT -> {
                settings.put(op.bucket(), kind, canonical(kind, op.bucket(), r.body()));
                // S3 answers PutBucketTagging and PutBucketPolicy with 204, the others with 200.
                yield kind == BucketSetting.TAGGING || kind == BucketSetting.POLICY ? S3Response.status(204).empty()
                        : S3Response.status(200).empty(0);
            }
            case GET -> {
                String doc = settings.get(op.bucket(), kind).orElseThrow(() -> new S3Exception(absent(kind)));
                byte[] bytes = doc.getBytes(StandardCharsets.UTF_8);
                yield kind == BucketSetting.POLICY ? S3Response.status(200).json(bytes) : S3Response.xml(bytes);
            }
            case DELETE -> {
                settings.delete(op.bucket(), kind);
                yield S3Response.status(204).empty();
            }
        };
    }

    /** Parses and validates the request document; the canonical form is what gets stored. */
    static String canonical(BucketSetting kind, String bucket, InputStream body) throws IOException {
        return switch (kind) {
            case CORS -> CorsConfiguration.parse(SafeXml.read(body, CorsConfiguration.MAX_BYTES)).render();
            case TAGGING -> BucketTagging.parse(SafeXml.read(body, BucketTagging.MAX_BYTES)).render();
            case LIFECYCLE -> LifecycleConfiguration.parse(SafeXml.read(body, LifecycleConfiguration.MAX_BYTES))
                    .render();
            case POLICY -> {
                byte[] json = body.readNBytes(BucketPolicy.MAX_BYTES + 1);
                if (json.length > BucketPolicy.MAX_BYTES || body.read() >= 0) {
                    throw new S3Exception(S3ErrorCode.MALFORMED_POLICY, "Policies are at most "
                            + BucketPolicy.MAX_BYTES + " bytes");
                }
                yield BucketPolicy.parse(json, bucket).render(bucket);
            }
        };
    }

    static S3ErrorCode absent(BucketSetting kind) {
        return switch (kind) {
            case CORS -> S3ErrorCode.NO_SUCH_CORS_CONFIGURATION;
            case TAGGING -> S3ErrorCode.NO_SUCH_TAG_SET;
            case POLICY -> S3ErrorCode.NO_SUCH_BUCKET_POLICY;
            case LIFECYCLE -> S3ErrorCode.NO_SUCH_LIFECYCLE_CONFIGURATION;
        };
    }
}
