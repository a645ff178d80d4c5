package io.keel.api.auth;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes in PHC string format, e.g.
 * {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>} (unpadded standard base64).
 *
 * <p>The parameters are OWASP's minimum recommendation for Argon2id; they are written into every
 * hash, so {@link #verify} honours whatever a stored hash says and the defaults can be raised later
 * without invalidating existing passwords. One hash costs about 19 MiB and tens of milliseconds,
 * so callers that hash on behalf of the network should bound concurrency.
 */
public final class PasswordHasher {
    public static final int MEMORY_KIB = 19456;
    public static final int ITERATIONS = 2;
    public static final int PARALLELISM = 1;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    // Bounds for parameters read from a stored hash: a corrupt or hostile value must not make
    // verification allocate gigabytes or spin for minutes.
    private static final int MAX_MEMORY_KIB = 1 << 20;
    private static final int MAX_ITERATIONS = 16;
    private static final int MAX_PARALLELISM = 16;
    private static final String PASSWORD_ALPHABET =
            "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"; // no 0/O, 1/l/I look-alikes
    private static final int GENERATED_LENGTH = 20;

    private final SecureRandom random;

    public PasswordHasher(SecureRandom random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    public PasswordHasher() {
        this(new SecureRandom());
    }

    /** Hashes with a fresh random salt; the caller may wipe {@code password} afterwards. */
    public String hash(char[] password) {
        Objects.requireNonNull(password, "password");
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] hash = derive(password, MEMORY_KIB, ITERATIONS, PARALLELISM, salt, HASH_BYTES);
        return "$argon2id$v=19$m=" + MEMORY_KIB + ",t=" + ITERATIONS + ",p=" + PARALLELISM
                + "$" + b64(salt) + "$" + b64(hash);
    }

    /**
     * True when {@code password} matches; the comparison does not leak where the first differing
     * byte is.
     *
     * @throws IllegalArgumentException when {@code phc} is not an Argon2id v19 PHC string
     */
    public boolean verify(char[] password, String phc) {
        Objects.requireNonNull(password, "password");
        Phc parsed = Phc.parse(Objects.requireNonNull(phc, "phc"));
        byte[] actual = derive(password, parsed.memoryKib(), parsed.iterations(), parsed.parallelism(),
                parsed.salt(), parsed.hash().length);
        return MessageDigest.isEqual(actual, parsed.hash());
    }

    /**
     * A random password of 20 characters from letters and digits without look-alikes, so a person
     * can read it off a console and type it (about 116 bits).
     */
    public static String generatePassword(SecureRandom random) {
        Objects.requireNonNull(random, "random");
        StringBuilder sb = new StringBuilder(GENERATED_LENGTH);
        for (int i = 0; i < GENERATED_LENGTH; i++) {
            sb.append(PASSWORD_ALPHABET.charAt(random.nextInt(PASSWORD_ALPHABET.length())));
        }
        return sb.toString();
    }

    private static byte[] derive(char[] password, int memoryKib, int iterations, int parallelism, byte[] salt,
            int length) {
        Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKib)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .withSalt(salt)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(params);
        byte[] out = new byte[length];
        generator.generateBytes(password, out); // converts with UTF-8, like other Argon2 implementations
        return out;
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().withoutPadding().encodeToString(bytes);
    }

    private record Phc(int memoryKib, int iterations, int parallelism, byte[] salt, byte[] hash) {
        static Phc parse(String phc) {
            // "$argon2id$v=19$m=..,t=..,p=..$salt$hash" splits into "", id, version, params, salt, hash
            String[] parts = phc.split("\\$", -1);
            if (parts.length != 6 || !parts[0].isEmpty()) {
                throw malformed("expected $argon2id$v=19$m=..,t=..,p=..$salt$hash");
            }
            if (!parts[1].equals("argon2id")) {
                throw malformed("unsupported algorithm '" + parts[1] + "'");
            }
            if (!parts[2].equals("v=19")) {
                throw malformed("unsupported version '" + parts[2] + "'");
            }
            int m = -1;
            int t = -1;
            int p = -1;
            String[] params = parts[3].split(",", -1);
            if (params.length != 3) {
                throw malformed("expected parameters m, t and p");
            }
            for (String param : params) {
                int eq = param.indexOf('=');
                if (eq <= 0) {
                    throw malformed("bad parameter '" + param + "'");
                }
                int value = parsePositive(param.substring(eq + 1));
                switch (param.substring(0, eq)) {
                    case "m" -> m = value;
                    case "t" -> t = value;
                    case "p" -> p = value;
                    default -> throw malformed("unknown parameter '" + param + "'");
                }
            }
            if (m < 0 || t < 0 || p < 0) {
                throw malformed("expected parameters m, t and p");
            }
            if (m > MAX_MEMORY_KIB || t > MAX_ITERATIONS || p > MAX_PARALLELISM || m < 8 * p) {
                throw malformed("parameters out of range");
            }
            byte[] salt = decode(parts[4], "salt");
            byte[] hash = decode(parts[5], "hash");
            if (salt.length < 8 || hash.length < 16) {
                throw malformed("salt or hash too short");
            }
            return new Phc(m, t, p, salt, hash);
        }

        private static int parsePositive(String s) {
            try {
                int v = Integer.parseInt(s);
                if (v <= 0) {
                    throw malformed("parameter must be positive");
                }
                return v;
            } catch (NumberFormatException e) {
                throw malformed("parameter is not a number");
            }
        }

        private static byte[] decode(String s, String what) {
            try {
                return Base64.getDecoder().decode(s);
            } catch (IllegalArgumentException e) {
                throw malformed(what + " is not base64");
            }
        }

        private static IllegalArgumentException malformed(String why) {
            return new IllegalArgumentException("malformed Argon2id PHC string: " + why);
        }

        @Override
        public String toString() {
            return "Phc[m=" + memoryKib + ", t=" + iterations + ", p=" + parallelism + "]";
        }
    }
}
