package io.keel.testkit.guest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The bytes the guest's {@code write OFFSET COUNT SEED} command writes: the line
 * {@code keel-pattern-SEED\n} repeated and cut at COUNT bytes (what {@code yes | head -c} gives), so
 * the host can check a disk without talking to the guest.
 */
public final class GuestPattern {
    private GuestPattern() {}

    public static byte[] bytes(String seed, int count) {
        Objects.requireNonNull(seed, "seed");
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative: " + count);
        }
        byte[] unit = ("keel-pattern-" + seed + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[count];
        for (int i = 0; i < count; i++) {
            out[i] = unit[i % unit.length];
        }
        return out;
    }

    /** Lower-case hex SHA-256, as sha256sum prints it. */
    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
