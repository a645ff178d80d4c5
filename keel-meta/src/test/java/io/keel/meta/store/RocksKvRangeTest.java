package io.keel.meta.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocksKvRangeTest {
    // UTF-8 order: z (7A) < é (C3 A9) < U+E000 (EE 80 80) < U+1F600 (F0 9F 98 80).
    // UTF-16 order puts U+1F600 (D83D DE00) before U+E000, so String.compareTo would get it wrong.
    static final String E_ACUTE = "\u00e9";
    static final String PRIVATE_USE = "\ue000";
    static final String GRIN = "\ud83d\ude00";

    @TempDir
    Path tmp;

    private static List<String> keys(List<Map.Entry<String, byte[]>> entries) {
        return entries.stream().map(Map.Entry::getKey).toList();
    }

    private RocksKvStore storeWith(String... keys) throws IOException {
        RocksKvStore store = RocksKvStore.open(tmp.resolve("db"));
        store.applyAtomically(1, 1, kv -> {
            for (String k : keys) {
                kv.put(k, k.getBytes(UTF_8));
            }
            return null;
        });
        return store;
    }

    @Test
    void ordersByUtf8BytesNotUtf16() throws IOException {
        assertThat(GRIN.compareTo(PRIVATE_USE)).as("the trap: UTF-16 order").isNegative();
        try (RocksKvStore store = storeWith("k/" + GRIN, "k/" + PRIVATE_USE, "k/" + E_ACUTE, "k/z", "k/a")) {
            assertThat(keys(store.range("k/", null, 100)))
                    .containsExactly("k/a", "k/z", "k/" + E_ACUTE, "k/" + PRIVATE_USE, "k/" + GRIN);
            assertThat(keys(store.range("k/" + PRIVATE_USE, null, 100))).containsExactly("k/" + PRIVATE_USE, "k/" + GRIN);
            assertThat(keys(store.range("k/z", "k/" + GRIN, 100)))
                    .containsExactly("k/z", "k/" + E_ACUTE, "k/" + PRIVATE_USE);
            assertThat(store.range("k/a", null, 1).get(0).getValue()).isEqualTo("k/a".getBytes(UTF_8));
            // The prefix scan returns the same order.
            assertThat(store.scan("k/").keySet())
                    .containsExactly("k/a", "k/z", "k/" + E_ACUTE, "k/" + PRIVATE_USE, "k/" + GRIN);
        }
    }

    @Test
    void boundsAreFromInclusiveToExclusiveAndLimitStops() throws IOException {
        try (RocksKvStore store = storeWith("a", "b", "b/1", "b/2", "c", "d")) {
            assertThat(keys(store.range("b", "c", 100))).containsExactly("b", "b/1", "b/2");
            assertThat(keys(store.range("b/", "c", 100))).containsExactly("b/1", "b/2");
            assertThat(keys(store.range("", null, 100))).containsExactly("a", "b", "b/1", "b/2", "c", "d");
            assertThat(keys(store.range("", null, 2))).containsExactly("a", "b");
            assertThat(keys(store.range("b0", null, 2))).containsExactly("c", "d");
            assertThat(store.range("d\u0000", null, 10)).isEmpty();
            assertThat(store.range("c", "c", 10)).isEmpty();
            assertThat(store.range("d", "a", 10)).isEmpty();
            // The applied-index marker lives outside the data keys and never shows up.
            assertThat(keys(store.range("", null, 100))).hasSize(6);
        }
    }

    @Test
    void rejectsBadArguments() throws IOException {
        try (RocksKvStore store = storeWith("a")) {
            assertThatThrownBy(() -> store.range("a", null, 0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.range("\ud800", null, 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("surrogate");
            assertThatThrownBy(() -> store.range(null, null, 1)).isInstanceOf(NullPointerException.class);
        }
    }

    @Test
    void writerRangeSeesTheCommandsOwnWrites() throws IOException {
        try (RocksKvStore store = storeWith("a", "b", "c")) {
            List<String> seen = store.applyAtomically(1, 2, kv -> {
                kv.delete("b");
                kv.put("bb", new byte[] {1});
                kv.put(GRIN, new byte[] {2});
                return keys(kv.range("a", null, 10));
            });
            assertThat(seen).containsExactly("a", "bb", "c", GRIN);
            assertThat(keys(store.range("", null, 10))).containsExactly("a", "bb", "c", GRIN);
        }
    }

    @Test
    void defaultRangeAgreesWithTheStore() throws IOException {
        List<String> all = List.of("x", "x/" + GRIN, "x/" + PRIVATE_USE, "x/" + E_ACUTE, "x/y", "y");
        try (RocksKvStore store = storeWith(all.toArray(String[]::new))) {
            SortedMap<String, byte[]> map = new TreeMap<>();
            all.forEach(k -> map.put(k, k.getBytes(UTF_8)));
            KvReader plain = new KvReader() {
                @Override
                public Optional<byte[]> get(String key) {
                    return Optional.ofNullable(map.get(key));
                }

                @Override
                public SortedMap<String, byte[]> scan(String prefix) {
                    return map.tailMap(prefix);
                }
            };
            for (String from : List.of("", "x/", "x/" + PRIVATE_USE, "x/z")) {
                for (String to : Arrays.asList(null, "x/" + GRIN, "y")) {
                    for (int limit : new int[] {1, 2, 100}) {
                        assertThat(keys(plain.range(from, to, limit))).as("%s..%s/%d", from, to, limit)
                                .isEqualTo(keys(store.range(from, to, limit)));
                    }
                }
            }
        }
    }

    @Test
    void utf8KeysCompareAgreesWithUnsignedBytes() {
        Random random = new Random(40_41);
        int[] pool = {'a', 'z', 0x7F, 0x80, 0xE9, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFFD, 0xFFFF, 0x10000, 0x1F600, 0x10FFFF};
        List<String> strings = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            StringBuilder sb = new StringBuilder();
            int len = random.nextInt(4);
            for (int j = 0; j < len; j++) {
                sb.appendCodePoint(pool[random.nextInt(pool.length)]);
            }
            strings.add(sb.toString());
        }
        for (String a : strings) {
            for (String b : strings) {
                int bytes = Integer.signum(Arrays.compareUnsigned(Utf8Keys.encode(a), Utf8Keys.encode(b)));
                assertThat(Integer.signum(Utf8Keys.compare(a, b))).as("%s vs %s", a, b).isEqualTo(bytes);
            }
        }
    }
}
