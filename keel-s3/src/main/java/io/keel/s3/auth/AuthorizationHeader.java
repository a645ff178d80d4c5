package io.keel.s3.auth;

import io.keel.s3.error.S3ErrorCode;
import io.keel.s3.error.S3Exception;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed {@code Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...}.
 * Components may be separated by commas with or without spaces (clients differ), each must occur
 * exactly once, and the signed header names must be lower case, sorted and unique, since the
 * canonical request lists them that way and anything else cannot have been signed correctly.
 */
public record AuthorizationHeader(CredentialScope credential, List<String> signedHeaders, String signature) {
    /** Longer headers are refused before any splitting: real ones stay well below 1 KiB. */
    public static final int MAX_LENGTH = 8192;

    public AuthorizationHeader {
        Objects.requireNonNull(credential, "credential");
        signedHeaders = List.copyOf(signedHeaders);
        Objects.requireNonNull(signature, "signature");
    }

    public static AuthorizationHeader parse(String value) throws S3Exception {
        Objects.requireNonNull(value, "value");
        if (value.length() > MAX_LENGTH) {
            throw malformed("The authorization header is too long.");
        }
        String v = value.strip();
        if (v.startsWith("AWS ")) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                    "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.");
        }
        int sp = v.indexOf(' ');
        if (sp < 0) {
            throw malformed("The authorization header is malformed; the authorization header requires three components: Credential, SignedHeaders, and Signature.");
        }
        String algorithm = v.substring(0, sp);
        if (!algorithm.equals(SigV4Crypto.ALGORITHM)) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                    "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.");
        }
        String credential = null;
        String signedHeaders = null;
        String signature = null;
        for (String raw : v.substring(sp + 1).split(",", -1)) {
            String part = raw.strip();
            int eq = part.indexOf('=');
            if (eq < 0) {
                throw malformed("The authorization header is malformed; incorrect component '" + part + "'.");
            }
            String name = part.substring(0, eq);
            String val = part.substring(eq + 1);
            switch (name) {
                case "Credential" -> credential = once(credential, val, name);
                case "SignedHeaders" -> signedHeaders = once(signedHeaders, val, name);
                case "Signature" -> signature = once(signature, val, name);
                default -> throw malformed("The authorization header is malformed; unknown component '" + name + "'.");
            }
        }
        if (credential == null || signedHeaders == null || signature == null) {
            throw malformed("The authorization header is malformed; the authorization header requires three components: Credential, SignedHeaders, and Signature.");
        }
        CredentialScope scope = CredentialScope.parse(credential).orElseThrow(() -> malformed(
                "The authorization header is malformed; the Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\"."));
        List<String> names = signedHeaderList(signedHeaders)
                .orElseThrow(() -> malformed("The authorization header is malformed; SignedHeaders must be lower case, sorted and unique."));
        return new AuthorizationHeader(scope, names, signature);
    }

    /** Splits {@code host;x-amz-date}; empty when a name is empty, upper case, or out of order. */
    static Optional<List<String>> signedHeaderList(String s) {
        String[] names = s.split(";", -1);
        for (int i = 0; i < names.length; i++) {
            String n = names[i];
            if (n.isEmpty() || !n.equals(n.toLowerCase(Locale.ROOT)) || i > 0 && names[i - 1].compareTo(n) >= 0) {
                return Optional.empty();
            }
            for (int j = 0; j < n.length(); j++) {
                char c = n.charAt(j);
                if (c <= ' ' || c >= 0x7F || c == ':') {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(List.of(names));
    }

    private static String once(String previous, String value, String name) throws S3Exception {
        if (previous != null) {
            throw malformed("The authorization header is malformed; " + name + " appears twice.");
        }
        return value;
    }

    private static S3Exception malformed(String message) {
        return new S3Exception(S3ErrorCode.AUTHORIZATION_HEADER_MALFORMED, message);
    }
}
