package io.keel.s3.ops;

import io.keel.s3.auth.SigV4Request;
import io.keel.s3.backend.BucketSetting;
import io.keel.s3.backend.BucketSettings;
import io.keel.s3.backend.S3Backend;
import io.keel.s3.error.S3ErrorCode;
import io.keel.s3.error.S3Exception;
import io.keel.s3.http.S3Response;
import io.keel.s3.settings.CorsConfiguration;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Browser CORS for a bucket: answers OPTIONS preflights (which browsers send unsigned) from the
 * bucket's rules, and computes the Access-Control-* headers of actual requests carrying Origin.
 */
public final class CorsResponder {
    static final String VARY = "Origin, Access-Control-Request-Headers, Access-Control-Request-Method";

    private final BucketSettings settings;
    private final S3Backend backend;

    public CorsResponder(BucketSettings settings, S3Backend backend) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.backend = Objects.requireNonNull(backend, "backend");
    }

    /** 200 with the allowing rule's headers, or AccessForbidden ("CORSResponse: ...") / BadRequest. */
    public S3Response preflight(String bucket, SigV4Request wire) throws S3Exception {
        String origin = wire.header("origin").map(String::strip).filter(s -> !s.isEmpty()).orElseThrow(
                () -> new S3Exception(S3ErrorCode.BAD_REQUEST, "Insufficient information. Origin request header needed."));
        String method = wire.header("access-control-request-method").map(String::strip).orElse("");
        if (method.isEmpty()) {
            throw new S3Exception(S3ErrorCode.BAD_REQUEST, "Invalid Access-Control-Request-Method: null");
        }
        if (backend.bucket(bucket).isEmpty()) {
            throw new S3Exception(S3ErrorCode.ACCESS_FORBIDDEN, "CORSResponse: Bucket not found");
        }
        CorsConfiguration cors = config(bucket).orElseThrow(() -> new S3Exception(S3ErrorCode.ACCESS_FORBIDDEN,
                "CORSResponse: CORS is not enabled for this bucket."));
        List<String> requested = new ArrayList<>();
        for (String line : wire.headerValues("access-control-request-headers")) {
            Arrays.stream(line.split(",")).map(String::strip).filter(s -> !s.isEmpty()).forEach(requested::add);
        }
        CorsConfiguration.Rule rule = cors.match(origin, method, requested).orElseThrow(() -> new S3Exception(
                S3ErrorCode.ACCESS_FORBIDDEN, "CORSResponse: This CORS request is not allowed. This is usually because"
                + " the evalution of Origin, request method / Access-Control-Request-Method or"
                + " Access-Control-Request-Headers are not whitelisted by the resource's CORS spec."));
        List<S3Response.Header> allowed = new ArrayList<>();
        allow(allowed, rule, origin);
        S3Response.Builder b = S3Response.status(200);
        allowed.forEach(h -> b.header(h.name(), h.value()));
        if (!requested.isEmpty()) {
            b.header("Access-Control-Allow-Headers", String.join(", ", requested));
        }
        rule.maxAgeSeconds().ifPresent(a -> b.header("Access-Control-Max-Age", Integer.toString(a)));
        return b.header("Vary", VARY).empty(0);
    }

    /**
     * The headers an actual request from {@code origin} gets: Vary whenever the bucket has CORS
     * rules (the answer depends on Origin, so caches must key on it), the Allow headers when a
     * rule allows it. Never fails the request: an unreadable configuration means no headers.
     */
    public List<S3Response.Header> actual(String bucket, String method, String origin) {
        Optional<CorsConfiguration> cors;
        try {
            cors = config(bucket);
        } catch (S3Exception e) {
            return List.of();
        }
        if (cors.isEmpty()) {
            return List.of();
        }
        List<S3Response.Header> out = new ArrayList<>();
        cors.get().match(origin, method, List.of()).ifPresent(rule -> {
            allow(out, rule, origin);
            if (!rule.exposeHeaders().isEmpty()) {
                out.add(new S3Response.Header("Access-Control-Expose-Headers", String.join(", ", rule.exposeHeaders())));
            }
        });
        out.add(new S3Response.Header("Vary", VARY));
        return List.copyOf(out);
    }

    private static void allow(List<S3Response.Header> out, CorsConfiguration.Rule rule, String origin) {
        out.add(new S3Response.Header("Access-Control-Allow-Origin", rule.anyOrigin() ? "*" : origin));
        out.add(new S3Response.Header("Access-Control-Allow-Methods", String.join(", ", rule.allowedMethods())));
        if (!rule.anyOrigin()) {
            // Echoing a specific origin is what lets browsers send credentials; "*" never does.
            out.add(new S3Response.Header("Access-Control-Allow-Credentials", "true"));
        }
    }

    private Optional<CorsConfiguration> config(String bucket) throws S3Exception {
        Optional<String> doc = settings.get(bucket, BucketSetting.CORS);
        return doc.isEmpty() ? Optional.empty()
                : Optional.of(CorsConfiguration.parse(doc.get().getBytes(StandardCharsets.UTF_8)));
    }
}
