package io.keel.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SessionTokensTest {
    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    private final String key = SessionTokens.newSigningKey(new SecureRandom());

    private static SessionTokens at(Instant now) {
        return new SessionTokens(Clock.fixed(now, ZoneOffset.UTC));
    }

    private static InvalidTokenException.Reason reason(SessionTokens tokens, String key, String token) {
        try {
            tokens.verify(key, token);
            throw new AssertionError("token accepted");
        } catch (InvalidTokenException e) {
            return e.reason();
        }
    }

    @Test
    void issuedTokenVerifiesUntilExpiry() throws Exception {
        SessionTokens.IssuedToken issued = at(T0).issue(key, "super|admin", Duration.ofHours(12));
        assertThat(issued.expiresAt()).isEqualTo(T0.plus(Duration.ofHours(12)));
        SessionTokens.Session session = at(T0.plus(Duration.ofHours(11))).verify(key, issued.token());
        assertThat(session.username()).isEqualTo("super|admin");
        assertThat(session.issuedAt()).isEqualTo(T0);
        assertThat(reason(at(T0.plus(Duration.ofHours(12))), key, issued.token()))
                .isEqualTo(InvalidTokenException.Reason.EXPIRED);
    }

    @Test
    void otherKeysAndEditsAreBadSignatures() {
        String token = at(T0).issue(key, "superadmin", Duration.ofHours(1)).token();
        String otherKey = SessionTokens.newSigningKey(new SecureRandom());
        assertThat(reason(at(T0), otherKey, token)).isEqualTo(InvalidTokenException.Reason.BAD_SIGNATURE);
        // Extend the expiry in the payload and keep the signature.
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[0]));
        String longer = payload.substring(0, payload.lastIndexOf('|') + 1) + Long.MAX_VALUE / 1000;
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(longer.getBytes()) + "." + parts[1];
        assertThat(reason(at(T0), key, forged)).isEqualTo(InvalidTokenException.Reason.BAD_SIGNATURE);
    }

    @Test
    void garbageIsMalformed() {
        for (String bad : new String[] {"", "abc", "a.b.c", ".sig", "!!!.???", "x".repeat(5000)}) {
            assertThat(reason(at(T0), key, bad)).as(bad).isEqualTo(InvalidTokenException.Reason.MALFORMED);
        }
    }

    @Test
    void signingKeyMustBeLongEnough() {
        String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
        assertThatThrownBy(() -> at(T0).issue(shortKey, "superadmin", Duration.ofHours(1)))
                .isInstanceOf(IllegalStateException.class);
        assertThat(Base64.getDecoder().decode(key)).hasSizeGreaterThanOrEqualTo(32);
    }
}
