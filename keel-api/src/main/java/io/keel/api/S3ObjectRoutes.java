package io.keel.api;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static io.javalin.http.HandlerType.PUT;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.keel.api.dto.CreateS3BucketRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The superadmin's bucket browser (ADR 0044's control plane, extended): buckets made and removed,
 * objects listed, downloaded, uploaded and deleted through the API. Object bytes stream both ways
 * between the client and the service; neither direction holds a whole object in memory.
 */
final class S3ObjectRoutes {
    /** S3's own limit on a key. */
    static final int MAX_KEY_BYTES = 1024;
    static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";
    private static final String BASE = "/api/v1/s3/buckets";

    private final S3ObjectService s3;
    private final Json json;

    S3ObjectRoutes(S3ObjectService s3, Json json) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.json = Objects.requireNonNull(json, "json");
    }

    void addRoutes(List<Route> routes) {
        add(routes, GET, "/api/v1/s3/usage", ctx -> json.write(ctx, 200, s3.usage()));
        add(routes, POST, "/api/v1/s3/lifecycle/sweep", ctx -> json.write(ctx, 200, s3.sweepLifecycle()));
        add(routes, POST, BASE, ctx -> json.write(ctx, 201,
                s3.createBucket(check(json.body(ctx, CreateS3BucketRequest.class)))));
        add(routes, DELETE, BASE + "/{bucket}", ctx -> {
            s3.deleteBucket(ctx.pathParam("bucket"));
            ctx.status(204);
        });
        add(routes, GET, BASE + "/{bucket}/objects", ctx -> json.write(ctx, 200,
                s3.listObjects(ctx.pathParam("bucket"), query(ctx))));
        add(routes, GET, BASE + "/{bucket}/object", this::download);
        add(routes, PUT, BASE + "/{bucket}/object", ctx -> {
            String key = key(ctx);
            String type = ctx.req().getContentType();
            // The servlet's long length: Javalin's int one overflows past 2 GiB.
            json.write(ctx, 201, s3.putObject(ctx.pathParam("bucket"), key,
                    type == null || type.isBlank() ? DEFAULT_CONTENT_TYPE : type, ctx.req().getInputStream(),
                    ctx.req().getContentLengthLong()));
        });
        add(routes, DELETE, BASE + "/{bucket}/object", ctx -> {
            s3.deleteObject(ctx.pathParam("bucket"), key(ctx));
            ctx.status(204);
        });
    }

    private void download(Context ctx) throws IOException {
        String key = key(ctx);
        try (S3ObjectService.Download d = s3.getObject(ctx.pathParam("bucket"), key)) {
            // Straight to the servlet stream: Javalin's compression would drop Content-Length, and
            // a result stream would outlive this try block and the object handle it reads.
            HttpServletResponse res = ctx.res();
            res.setStatus(200);
            // The stored type exactly: the API's UTF-8 default would add a charset to text types.
            res.setCharacterEncoding(null);
            res.setContentType(d.contentType());
            res.setContentLengthLong(d.sizeBytes());
            res.setHeader("ETag", d.etag());
            res.setHeader("Content-Disposition", contentDisposition(key));
            res.setHeader("Cache-Control", "no-store");
            OutputStream out = res.getOutputStream();
            d.body().transferTo(out);
            out.flush();
        }
    }

    static CreateS3BucketRequest check(CreateS3BucketRequest r) {
        required(r.name(), "name");
        required(r.owner(), "owner");
        return r;
    }

    /** The {@code key} query parameter: present, not empty, at most 1024 bytes as UTF-8 like S3's. */
    static String key(Context ctx) {
        String key = ctx.queryParam("key");
        if (key == null || key.isEmpty()) {
            throw invalid("key is required: the object's key as a query parameter (?key=...)", "key");
        }
        int bytes = key.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_KEY_BYTES) {
            throw invalid("key is " + bytes + " bytes long in UTF-8; S3 allows at most " + MAX_KEY_BYTES, "key");
        }
        return key;
    }

    private static S3ObjectService.ObjectQuery query(Context ctx) {
        String limit = ctx.queryParam("limit");
        int n = S3ObjectService.ObjectQuery.MAX_LIMIT;
        if (limit != null) {
            try {
                n = Integer.parseInt(limit.strip());
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 1 || n > S3ObjectService.ObjectQuery.MAX_LIMIT) {
                throw invalid("limit must be a whole number from 1 to " + S3ObjectService.ObjectQuery.MAX_LIMIT
                        + ", not '" + limit + "'", "limit");
            }
        }
        String after = ctx.queryParam("after");
        return new S3ObjectService.ObjectQuery(orEmpty(ctx.queryParam("prefix")), orEmpty(ctx.queryParam("delimiter")),
                after == null || after.isEmpty() ? null : after, n);
    }

    /**
     * An attachment named after the key's last segment. The quoted name keeps only what needs no
     * escaping in a quoted-string (printable ASCII but '"' and '\'); a name with more gets the
     * exact one as RFC 6266's {@code filename*} too.
     */
    static String contentDisposition(String key) {
        String name = key.substring(key.lastIndexOf('/') + 1);
        if (name.isEmpty()) {
            name = "download";
        }
        StringBuilder plain = new StringBuilder();
        boolean exact = true;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                plain.append(c);
            } else {
                plain.append('_');
                exact = false;
            }
        }
        String header = "attachment; filename=\"" + plain + "\"";
        if (!exact) {
            header += "; filename*=UTF-8''" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
        }
        return header;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static void required(String value, String field) {
        if (value == null || value.isBlank()) {
            throw invalid(field + " is required", field);
        }
    }

    private static ApiException invalid(String message, String field) {
        return new ApiException(400, "invalid", message, Map.of("field", field));
    }

    private static void add(List<Route> routes, HandlerType method, String path, Handler handler) {
        routes.add(new Route(method, path, Access.SESSION, handler));
    }
}
