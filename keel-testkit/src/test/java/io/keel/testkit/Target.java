package io.keel.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** What {@link S3Bench} loads: a Keel S3 gateway (signed requests) or a plain HTTP server. */
sealed interface Target {
    String name();

    /** A request for {@code /bucket/key} with the target's authentication. */
    HttpRequest.Builder request(String method, String path);

    HttpClient http();

    default boolean ready() {
        try {
            HttpResponse<byte[]> r = S3Bench.send(http(), request("GET", "/").build());
            return r.statusCode() < 500;
        } catch (IOException e) {
            return false;
        }
    }

    /** A bucket for the objects: an S3 CreateBucket; for nginx the directory exists already. */
    default void createBucket(String bucket) throws IOException {
        if (!(this instanceof S3)) {
            return;
        }
        HttpResponse<byte[]> r = S3Bench.send(http(), request("PUT", "/" + bucket)
                .PUT(HttpRequest.BodyPublishers.noBody()).build());
        if (r.statusCode() / 100 != 2) {
            throw new IOException(name() + ": creating bucket " + bucket + " answered " + r.statusCode() + " "
                    + new String(r.body(), StandardCharsets.UTF_8));
        }
    }

    /** nginx: files under its root, PUT through WebDAV. */
    record Plain(String name, String base, HttpClient http) implements Target {
        @Override
        public HttpRequest.Builder request(String method, String path) {
            return HttpRequest.newBuilder(URI.create(base + path));
        }
    }

    /**
     * A Keel S3 gateway, path-style. SigV4 in the Authorization header over UNSIGNED-PAYLOAD, so the
     * client hashes nothing but the canonical request, as SDKs do over HTTPS. The signing key is
     * derived once per day and kept, as the AWS SDKs keep it.
     */
    record S3(String name, String base, String accessKey, String secretKey, HttpClient http,
            java.util.concurrent.atomic.AtomicReference<String[]> dayKey) implements Target {
        private static final DateTimeFormatter AMZ = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
        private static final String REGION = "us-east-1";

        S3(String name, String base, String accessKey, String secretKey, HttpClient http) {
            this(name, base, accessKey, secretKey, http, new java.util.concurrent.atomic.AtomicReference<>());
        }

        @Override
        public HttpRequest.Builder request(String method, String path) {
            URI uri = URI.create(base + path);
            String host = uri.getHost() + ":" + uri.getPort();
            String date = ZonedDateTime.now(ZoneOffset.UTC).format(AMZ);
            String day = date.substring(0, 8);
            // Paths the bench uses are [a-z0-9/-] only: canonical form is the path itself.
            String canonical = method + "\n" + uri.getRawPath() + "\n\nhost:" + host
                    + "\nx-amz-content-sha256:UNSIGNED-PAYLOAD\nx-amz-date:" + date
                    + "\n\nhost;x-amz-content-sha256;x-amz-date\nUNSIGNED-PAYLOAD";
            String scope = day + "/" + REGION + "/s3/aws4_request";
            String toSign = "AWS4-HMAC-SHA256\n" + date + "\n" + scope + "\n" + hex(sha256(canonical));
            String signature = hex(hmac(signingKey(day), toSign));
            return HttpRequest.newBuilder(uri).header("x-amz-date", date)
                    .header("x-amz-content-sha256", "UNSIGNED-PAYLOAD")
                    .header("Authorization", "AWS4-HMAC-SHA256 Credential=" + accessKey + "/" + scope
                            + ", SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=" + signature);
        }

        private byte[] signingKey(String day) {
            String[] cached = dayKey.get();
            if (cached != null && cached[0].equals(day)) {
                return HexFormat.of().parseHex(cached[1]);
            }
            byte[] k = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), day);
            k = hmac(k, REGION);
            k = hmac(k, "s3");
            k = hmac(k, "aws4_request");
            dayKey.set(new String[] {day, hex(k)});
            return k;
        }

        private static byte[] sha256(String s) {
            try {
                return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        private static byte[] hmac(byte[] key, String data) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
                return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        private static String hex(byte[] b) {
            return HexFormat.of().formatHex(b);
        }
    }
}
