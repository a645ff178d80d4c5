package io.keel.meta.cluster;

import java.security.SecureRandom;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Makes S3 access key ids and secrets. Runs where a command is submitted (never inside the
 * replicated logic, which must not use randomness); the values travel inside the command.
 *
 * <p>Keel's format: an access key id is {@code KEEL} followed by 16 characters of the RFC 4648
 * base32 alphabet (80 random bits), 20 characters in all like AWS's, so every client's length
 * assumptions hold, but without AWS's {@code AKIA} prefix, which secret scanners would report as a
 * leaked AWS credential. A secret is 40 characters of the base64 alphabet (240 random bits), the
 * shape of AWS secrets, which every SDK and tool stores without escaping.
 */
public final class S3Keys {
    public static final String ID_PREFIX = "KEEL";
    public static final int ID_LENGTH = 20;
    public static final int SECRET_LENGTH = 40;
    static final Pattern ID = Pattern.compile("KEEL[A-Z2-7]{16}");
    static final Pattern SECRET = Pattern.compile("[A-Za-z0-9+/]{40}");
    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final String BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    private S3Keys() {}

    public static String newAccessKeyId(SecureRandom rnd) {
        return ID_PREFIX + draw(rnd, BASE32, ID_LENGTH - ID_PREFIX.length());
    }

    public static String newSecret(SecureRandom rnd) {
        return draw(rnd, BASE64, SECRET_LENGTH);
    }

    private static String draw(SecureRandom rnd, String alphabet, int n) {
        Objects.requireNonNull(rnd, "rnd");
        StringBuilder out = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            // Alphabet sizes are powers of two, so nextInt is unbiased here and on every JDK.
            out.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
        }
        return out.toString();
    }
}
