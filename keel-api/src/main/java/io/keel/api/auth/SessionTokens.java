package io.keel.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stateless API session tokens: {@code base64url(payload) + "." + base64url(HMAC-SHA256(key,
 * base64url(payload)))}, payload {@code 1|username|issuedAtEpochSecond|expiresAtEpochSecond}.
 *
 * <p>Stateless so that any node holding the cluster's signing key can verify a token without a
 * replicated write per login; the price is that a token cannot be revoked before it expires except
 * by rotating the signing key (which revokes all of them). The key is passed per call because it
 * lives in the replicated cluster secrets and only exists once the cluster is bootstrapped.
 */
public final class SessionTokens {
    /** Smallest accepted signing key: HMAC-SHA256's own block of strength. */
    public static final int MIN_KEY_BYTES = 32;
    private static final String MAC_ALGORITHM = "HmacSHA256";
    private static final String VERSION = "1";
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64URL_DECODER = Base64.getUrlDecoder();
    private static final int MAX_TOKEN_CHARS = 4096;

    private final Clock clock;

    public SessionTokens(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A new signing key for {@link io.keel.meta.cluster.ClusterSecrets#tokenSigningKey()}. */
    public static String newSigningKey(SecureRandom random) {
        Objects.requireNonNull(random, "random");
        byte[] key = new byte[MIN_KEY_BYTES];
        random.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /** A token for {@code username} valid for {@code ttl} from now. */
    public IssuedToken issue(String signingKey, String username, Duration ttl) {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive");
        }
        Instant issuedAt = clock.instant();
        Instant expiresAt = issuedAt.plus(ttl);
        String payload = VERSION + "|" + username + "|" + issuedAt.getEpochSecond() + "|" + expiresAt.getEpochSecond();
        String encoded = B64URL.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        String token = encoded + "." + B64URL.encodeToString(mac(decodeKey(signingKey), encoded));
        // Second precision in the token, so report what the token actually says.
        return new IssuedToken(token, username, Instant.ofEpochSecond(expiresAt.getEpochSecond()));
    }

    /**
     * The session a token stands for.
     *
     * @throws InvalidTokenException when the token is malformed, its signature does not match
     *     {@code signingKey}, or it has expired
     */
    public Session verify(String signingKey, String token) throws InvalidTokenException {
        Objects.requireNonNull(token, "token");
        byte[] key = decodeKey(signingKey);
        int dot = token.indexOf('.');
        if (token.length() > MAX_TOKEN_CHARS || dot <= 0 || dot != token.lastIndexOf('.')) {
            throw new InvalidTokenException(InvalidTokenException.Reason.MALFORMED);
        }
        String encoded = token.substring(0, dot);
        byte[] presented;
        byte[] payloadBytes;
        try {
            presented = B64URL_DECODER.decode(token.substring(dot + 1));
            payloadBytes = B64URL_DECODER.decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new InvalidTokenException(InvalidTokenException.Reason.MALFORMED);
        }
        // Signature before content: nothing in an unauthenticated payload is trusted or parsed.
        if (!MessageDigest.isEqual(mac(key, encoded), presented)) {
            throw new InvalidTokenException(InvalidTokenException.Reason.BAD_SIGNATURE);
        }
        Session session = parse(new String(payloadBytes, StandardCharsets.UTF_8));
        if (!clock.instant().isBefore(session.expiresAt())) {
            throw new InvalidTokenException(InvalidTokenException.Reason.EXPIRED);
        }
        return session;
    }

    private static Session parse(String payload) throws InvalidTokenException {
        // Split from the right so that a username may contain '|'.
        int exp = payload.lastIndexOf('|');
        int iat = exp > 0 ? payload.lastIndexOf('|', exp - 1) : -1;
        if (!payload.startsWith(VERSION + "|") || iat <= VERSION.length()) {
            throw new InvalidTokenException(InvalidTokenException.Reason.MALFORMED);
        }
        try {
            String username = payload.substring(VERSION.length() + 1, iat);
            Instant issuedAt = Instant.ofEpochSecond(Long.parseLong(payload.substring(iat + 1, exp)));
            Instant expiresAt = Instant.ofEpochSecond(Long.parseLong(payload.substring(exp + 1)));
            return new Session(username, issuedAt, expiresAt);
        } catch (RuntimeException e) {
            throw new InvalidTokenException(InvalidTokenException.Reason.MALFORMED);
        }
    }

    private static byte[] decodeKey(String signingKey) {
        Objects.requireNonNull(signingKey, "signingKey");
        byte[] key;
        try {
            key = Base64.getDecoder().decode(signingKey);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("token signing key is not base64");
        }
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalStateException("token signing key is shorter than " + MIN_KEY_BYTES + " bytes");
        }
        return key;
    }

    private static byte[] mac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance(MAC_ALGORITHM); // not thread-safe, so one per call
            mac.init(new SecretKeySpec(key, MAC_ALGORITHM));
            return mac.doFinal(data.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** A freshly signed token; {@code expiresAt} is what the token itself says. */
    public record IssuedToken(String token, String username, Instant expiresAt) {
        @Override
        public String toString() {
            return "IssuedToken[username=" + username + ", expiresAt=" + expiresAt + "]";
        }
    }

    /** What a valid token proves. */
    public record Session(String username, Instant issuedAt, Instant expiresAt) {}
}
