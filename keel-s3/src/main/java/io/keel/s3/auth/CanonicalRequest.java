package io.keel.s3.auth;

import io.keel.s3.address.UriCodec;
import io.keel.s3.error.S3Exception;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds the SigV4 canonical request and string to sign. For S3 the canonical URI is the path
 * encoded once (no double encoding, no dot-segment normalisation): we decode the received path and
 * re-encode it with SigV4's rules, so clients that leave characters such as {@code !} or {@code =}
 * unencoded on the wire still verify, as they do against AWS.
 */
public final class CanonicalRequest {
    private CanonicalRequest() {
    }

    public static String canonicalUri(String rawPath) throws S3Exception {
        String decoded = UriCodec.decode(rawPath);
        return decoded.isEmpty() ? "/" : UriCodec.encode(decoded, true);
    }

    /** Every parameter except {@code excluded} (the signature itself for presigned URLs), encoded and sorted. */
    public static String canonicalQuery(QueryParams query, String excluded) {
        List<String[]> pairs = new ArrayList<>();
        for (QueryParams.Param p : query.params()) {
            if (!p.name().equals(excluded)) {
                pairs.add(new String[] {UriCodec.encode(p.name(), false), UriCodec.encode(p.value(), false)});
            }
        }
        pairs.sort((a, b) -> {
            int c = a[0].compareTo(b[0]);
            return c != 0 ? c : a[1].compareTo(b[1]);
        });
        StringBuilder b = new StringBuilder();
        for (String[] p : pairs) {
            if (!b.isEmpty()) {
                b.append('&');
            }
            b.append(p[0]).append('=').append(p[1]);
        }
        return b.toString();
    }

    /**
     * {@code name:value\n} for each signed header in order; several values of one header are
     * joined with commas, and each value is trimmed with inner runs of spaces collapsed to one.
     * A signed header the request does not carry contributes an empty value, which simply makes
     * the signature not match.
     */
    public static String canonicalHeaders(SigV4Request request, List<String> signedHeaders) {
        StringBuilder b = new StringBuilder();
        for (String name : signedHeaders) {
            b.append(name).append(':');
            List<String> values = request.headerValues(name);
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) {
                    b.append(',');
                }
                b.append(collapse(values.get(i)));
            }
            b.append('\n');
        }
        return b.toString();
    }

    static String collapse(String value) {
        String t = value.strip();
        StringBuilder b = new StringBuilder(t.length());
        boolean space = false;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == ' ' || c == '\t') {
                if (!space) {
                    b.append(' ');
                }
                space = true;
            } else {
                b.append(c);
                space = false;
            }
        }
        return b.toString();
    }

    public static String build(SigV4Request request, QueryParams query, String excludedParam,
            List<String> signedHeaders, String payloadHash) throws S3Exception {
        Objects.requireNonNull(payloadHash, "payloadHash");
        return request.method() + '\n'
                + canonicalUri(request.rawPath()) + '\n'
                + canonicalQuery(query, excludedParam) + '\n'
                + canonicalHeaders(request, signedHeaders) + '\n'
                + String.join(";", signedHeaders) + '\n'
                + payloadHash;
    }

    public static String stringToSign(String amzDate, String scope, String canonicalRequest) {
        return SigV4Crypto.ALGORITHM + '\n' + amzDate + '\n' + scope + '\n' + SigV4Crypto.sha256Hex(canonicalRequest);
    }
}
