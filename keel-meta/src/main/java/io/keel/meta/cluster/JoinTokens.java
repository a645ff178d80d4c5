package io.keel.meta.cluster;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

/**
 * Makes join tokens. Runs on the node that submits the command (never inside the replicated
 * logic, which must not use randomness); the token then travels inside the command.
 */
public final class JoinTokens {
    /** Versioned prefix so that a later token format can be told apart, and so that it is greppable. */
    public static final String PREFIX = "keel1.";
    public static final Duration DEFAULT_TTL = Duration.ofHours(24);
    /** 256 bits: guessing is hopeless even with unlimited attempts over the token's lifetime. */
    static final int RANDOM_BYTES = 32;

    private JoinTokens() {}

    public static JoinToken generate(SecureRandom rnd, long generation, Instant now, Duration ttl) {
        Objects.requireNonNull(rnd, "rnd");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("join token lifetime must be positive, got " + ttl);
        }
        byte[] random = new byte[RANDOM_BYTES];
        rnd.nextBytes(random);
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        return new JoinToken(token, generation, now, now.plus(ttl));
    }
}
