package io.keel.s3store.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.s3store.data.DataLocation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Key encoding and ordering, records round-tripping through JSON. */
class IndexKeysTest {
    @Test
    void versionsSortNewestFirstAndBeforeLongerKeys() {
        List<String> keys = new ArrayList<>(List.of(IndexKeys.version("b1", "a", 5), IndexKeys.version("b1", "a/b", 9),
                IndexKeys.version("b1", "a", 7), IndexKeys.version("b1", "ab", 1)));
        keys.sort(Utf8Order.COMPARATOR);
        assertThat(keys).extracting(k -> IndexKeys.parseVersion("b1", k))
                .containsExactly(new IndexKeys.VersionKey("a", 7), new IndexKeys.VersionKey("a", 5),
                        new IndexKeys.VersionKey("a/b", 9), new IndexKeys.VersionKey("ab", 1));
        assertThat(Utf8Order.compare(IndexKeys.afterVersionsOf("b1", "a"), IndexKeys.version("b1", "a", 0))).isPositive();
        assertThat(Utf8Order.compare(IndexKeys.afterVersionsOf("b1", "a"), IndexKeys.version("b1", "a/b", 0))).isNegative();
    }

    @Test
    void versionIdsCarryTheirStamp() {
        String id = IndexKeys.versionId(123456789L, "Xy9");
        assertThat(IndexKeys.stampOf(id)).contains(123456789L);
        assertThat(IndexKeys.stampOf("null")).isEmpty();
        assertThat(IndexKeys.stampOf("ZZZZZZZZZZZZZZZZZZ")).isEmpty();
        assertThat(IndexKeys.stampOf("0123456789ABCDEFxx")).isEmpty();
    }

    @Test
    void utf8OrderIsCodePointOrder() {
        String supplementary = new String(Character.toChars(0x1F600));
        assertThat(Utf8Order.compare(supplementary, "\uFFFD")).isPositive();
        assertThat("\uFFFD".compareTo(supplementary)).isPositive(); // Java's UTF-16 order disagrees
        assertThat(Utf8Order.pastPrefix("a/")).isEqualTo("a0");
        assertThat(Utf8Order.compare(Utf8Order.pastPrefix("x" + supplementary), "x" + supplementary + "zzz")).isPositive();
    }

    @Test
    void recordsRoundTrip() {
        IndexCodec codec = new IndexCodec();
        VersionRecord v = VersionRecord.object("id", 42, 3, "etag", Instant.ofEpochMilli(1000), "alice",
                new StoredMeta("text/plain", null, "inline", null, null, null, Map.of("k", "v")), Map.of("t", "1"),
                Optional.empty(), 0, new DataLocation(List.of(new DataLocation.Segment("vol", 8, 3))));
        KeyHead h = new KeyHead(v, 42L);
        assertThat(codec.decode(codec.encode(h), KeyHead.class)).isEqualTo(h);
        assertThat(new String(codec.encode(v))).doesNotContain("nullVersion");
        assertThat(IndexCodec.decodeLong(IndexCodec.encodeLong(-5))).isEqualTo(-5);
    }
}
