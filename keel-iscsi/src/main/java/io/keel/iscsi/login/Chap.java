package io.keel.iscsi.login;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/** CHAP with MD5 (RFC 1994, algorithm 5 in RFC 7143 section 12.1.3): response = MD5(id | secret | challenge). */
public final class Chap {
    private Chap() {}

    public static final String ALGORITHM_MD5 = "5";

    public static byte[] response(int identifier, String secret, byte[] challenge) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            md5.update((byte) identifier);
            md5.update(secret.getBytes(StandardCharsets.UTF_8));
            md5.update(challenge);
            return md5.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK ships MD5", e);
        }
    }

    public static String encodeHex(byte[] b) {
        return "0x" + HexFormat.of().formatHex(b);
    }

    /** A binary value in hex (0x) or base64 (0b) form (RFC 7143 section 6.1), or null if neither. */
    public static byte[] decodeBinary(String v) {
        try {
            if (v.length() > 2 && (v.startsWith("0x") || v.startsWith("0X"))) {
                String hex = v.substring(2);
                if ((hex.length() & 1) == 1) {
                    hex = "0" + hex;
                }
                return HexFormat.of().parseHex(hex);
            }
            if (v.length() > 2 && (v.startsWith("0b") || v.startsWith("0B"))) {
                return Base64.getDecoder().decode(v.substring(2));
            }
        } catch (IllegalArgumentException e) {
            return null;
        }
        return null;
    }
}
