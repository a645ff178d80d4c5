package io.keel.s3store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.s3store.index.KeyHead;
import io.keel.s3store.index.Read;
import io.keel.s3store.index.VersionRecord;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HeadCacheTest {
    private static Optional<Read<KeyHead>> head(String key, byte tag) {
        // The cache never looks inside a head: only the raw bytes a condition names matter here.
        return Optional.of(new Read<>(key, new KeyHead(VersionRecord.marker("", tag, Instant.EPOCH, "u1"), null),
                new byte[] {tag}));
    }

    @Test
    void remembersWhatWasSeenForgetsWhatVanishedAndGuessesAbsentOtherwise() {
        HeadCache cache = new HeadCache(8);
        assertThat(cache.guess("b/k")).isEmpty();
        cache.seen("b/k", head("b/k", (byte) 1));
        assertThat(cache.guess("b/k")).hasValueSatisfying(r -> assertThat(r.raw()).containsExactly(1));
        cache.seen("b/k", head("b/k", (byte) 2));
        assertThat(cache.guess("b/k")).hasValueSatisfying(r -> assertThat(r.raw()).containsExactly(2));
        cache.seen("b/k", Optional.empty());
        assertThat(cache.guess("b/k")).isEmpty();
    }

    @Test
    void theLeastRecentlyUsedKeyGoesFirst() {
        HeadCache cache = new HeadCache(2);
        cache.seen("a", head("a", (byte) 1));
        cache.seen("b", head("b", (byte) 2));
        assertThat(cache.guess("a")).isPresent(); // a is now the most recent
        cache.seen("c", head("c", (byte) 3));
        assertThat(cache.guess("b")).isEmpty();
        assertThat(cache.guess("a")).isPresent();
        assertThat(cache.guess("c")).isPresent();
        assertThatThrownBy(() -> new HeadCache(0)).hasMessageContaining("capacity must be positive");
    }
}
