package io.keel.meta.cluster;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/** Small hashing helpers for credentials the cluster stores only as hashes. */
public final class Secrets {
    private Secrets() {}

    /**
     * Lower-case hex SHA-256 of the UTF-8 bytes of {@code value}. Fit for node credentials, which
     * are long random strings; not for passwords, which need a slow salted hash.
     */
    public static String sha256Hex(String value) {
        Objects.requireNonNull(value, "value");
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }

    /** Constant-time comparison, so that response timing does not reveal how much of a secret matched. */
    public static boolean constantTimeEquals(String a, String b) {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
