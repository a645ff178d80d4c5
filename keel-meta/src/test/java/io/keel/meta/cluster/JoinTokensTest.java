package io.keel.meta.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class JoinTokensTest {
    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    @Test
    void tokenIsPrefixedUnpaddedBase64UrlOf32RandomBytes() {
        JoinToken token = JoinTokens.generate(new SecureRandom(), 7, NOW, JoinTokens.DEFAULT_TTL);
        assertThat(token.token()).startsWith("keel1.").matches("keel1\\.[A-Za-z0-9_-]{43}");
        assertThat(Base64.getUrlDecoder().decode(token.token().substring(6))).hasSize(32);
        assertThat(token.generation()).isEqualTo(7);
        assertThat(token.createdAt()).isEqualTo(NOW);
        assertThat(token.expiresAt()).isEqualTo(NOW.plus(Duration.ofHours(24)));
        assertThat(token.toString()).doesNotContain(token.token());
    }

    @Test
    void tokensDiffer() {
        SecureRandom rnd = new SecureRandom();
        assertThat(JoinTokens.generate(rnd, 1, NOW, JoinTokens.DEFAULT_TTL).token())
                .isNotEqualTo(JoinTokens.generate(rnd, 1, NOW, JoinTokens.DEFAULT_TTL).token());
    }

    @Test
    void expiresAtTheEndOfItsLifetime() {
        JoinToken token = JoinTokens.generate(new SecureRandom(), 1, NOW, Duration.ofMinutes(5));
        assertThat(token.expiredAt(NOW.plusSeconds(299))).isFalse();
        assertThat(token.expiredAt(NOW.plusSeconds(300))).isTrue();
    }

    @Test
    void refusesNonPositiveLifetime() {
        assertThatThrownBy(() -> JoinTokens.generate(new SecureRandom(), 1, NOW, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
        assertThatThrownBy(() -> JoinTokens.generate(null, 1, NOW, Duration.ofHours(1)))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void sha256HexMatchesKnownVector() {
        assertThat(Secrets.sha256Hex("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(Secrets.constantTimeEquals("abc", "abc")).isTrue();
        assertThat(Secrets.constantTimeEquals("abc", "abd")).isFalse();
        assertThat(Secrets.constantTimeEquals("abc", "abcd")).isFalse();
    }
}
