package io.keel.s3.address;

import io.keel.s3.error.S3ErrorCode;
import io.keel.s3.error.S3Exception;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Resolves the bucket and key of a request from its Host header and raw path, given the DNS
 * names the S3 cluster's endpoint answers to. A host equal to an endpoint name, an IP address, or
 * any other name means path-style ({@code /bucket/key}); {@code <bucket>.<endpoint>} means
 * virtual-hosted-style. Falling back to path-style for unknown hosts keeps clients that reach a
 * gateway by IP or by a load balancer's own name working.
 */
public final class Addressing {
    /** S3's limit on the UTF-8 length of a key. */
    public static final int MAX_KEY_BYTES = 1024;
    private static final int MAX_HOST_LENGTH = 255;

    private final List<String> endpoints;

    public Addressing(List<String> endpointNames) {
        Objects.requireNonNull(endpointNames, "endpointNames");
        this.endpoints = endpointNames.stream().map(e -> {
            String n = e.toLowerCase(Locale.ROOT);
            while (n.endsWith(".")) {
                n = n.substring(0, n.length() - 1);
            }
            if (n.isEmpty()) {
                throw new IllegalArgumentException("empty endpoint name");
            }
            return n;
        }).toList();
    }

    /**
     * @param host    the Host header (may carry a port, may be absent for HTTP/1.0)
     * @param rawPath the request path as it came on the wire, still percent-encoded, without query
     */
    public S3Address resolve(String host, String rawPath) throws S3Exception {
        Objects.requireNonNull(rawPath, "rawPath");
        if (!rawPath.startsWith("/")) {
            throw new S3Exception(S3ErrorCode.INVALID_URI);
        }
        Optional<String> vhostBucket = virtualHostBucket(host);
        if (vhostBucket.isPresent()) {
            String keyPart = rawPath.substring(1);
            return new S3Address(S3Address.Style.VIRTUAL_HOSTED, vhostBucket, key(keyPart));
        }
        String rest = rawPath.substring(1);
        if (rest.isEmpty()) {
            return new S3Address(S3Address.Style.PATH, Optional.empty(), Optional.empty());
        }
        int slash = rest.indexOf('/');
        String bucket = UriCodec.decode(slash < 0 ? rest : rest.substring(0, slash));
        if (bucket.isEmpty()) {
            throw new S3Exception(S3ErrorCode.INVALID_URI, "The request path has an empty bucket name");
        }
        Optional<String> key = slash < 0 ? Optional.empty() : key(rest.substring(slash + 1));
        return new S3Address(S3Address.Style.PATH, Optional.of(bucket), key);
    }

    private static Optional<String> key(String rawKey) throws S3Exception {
        if (rawKey.isEmpty()) {
            return Optional.empty();
        }
        String key = UriCodec.decode(rawKey);
        if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw new S3Exception(S3ErrorCode.KEY_TOO_LONG);
        }
        return Optional.of(key);
    }

    /** The bucket named by a virtual-hosted-style Host header, empty for path-style. */
    Optional<String> virtualHostBucket(String host) throws S3Exception {
        if (host == null || host.isEmpty()) {
            return Optional.empty();
        }
        if (host.length() > MAX_HOST_LENGTH) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "The Host header is too long");
        }
        String h = stripPort(host.trim()).toLowerCase(Locale.ROOT);
        while (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        for (String endpoint : endpoints) {
            if (h.length() > endpoint.length() + 1 && h.endsWith(endpoint)
                    && h.charAt(h.length() - endpoint.length() - 1) == '.') {
                return Optional.of(h.substring(0, h.length() - endpoint.length() - 1));
            }
        }
        return Optional.empty();
    }

    private static String stripPort(String host) throws S3Exception {
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            if (end < 0) {
                throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "The Host header is malformed");
            }
            return host.substring(0, end + 1);
        }
        int colon = host.lastIndexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }
}
