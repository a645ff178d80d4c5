package io.keel.s3.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Seeded model test: paging through KeyLister equals a naive single-pass listing. */
class KeyListerTest {
    private static List<String> naive(TreeMap<String, String> keys, String prefix, String delimiter) {
        List<String> out = new ArrayList<>();
        for (String k : keys.keySet()) {
            if (!k.startsWith(prefix)) {
                continue;
            }
            int at = delimiter.isEmpty() ? -1 : k.indexOf(delimiter, prefix.length());
            String name = at < 0 ? k : "P:" + k.substring(0, at + delimiter.length());
            if (out.isEmpty() || !out.getLast().equals(name)) {
                out.add(name);
            }
        }
        return out;
    }

    private static List<String> paged(TreeMap<String, String> keys, String prefix, String delimiter, int max) {
        KeyLister.Source<String> src = (k, inc) -> Optional.ofNullable(inc ? keys.ceilingEntry(k) : keys.higherEntry(k));
        List<String> out = new ArrayList<>();
        Optional<String> marker = Optional.empty();
        for (int guard = 0; guard < 10_000; guard++) {
            ListPage<String> page = KeyLister.page(src, new ListQuery(prefix, Optional.of(delimiter), marker, max));
            for (ListEntry<String> e : page.entries()) {
                out.add(e instanceof ListEntry.Prefix<String> ? "P:" + e.name() : e.name());
            }
            if (!page.truncated()) {
                return out;
            }
            assertThat(page.entries()).hasSize(max);
            marker = Optional.of(page.lastName());
        }
        throw new AssertionError("listing did not terminate");
    }

    @Test
    void pagingMatchesTheModel() {
        for (long seed = 0; seed < 200; seed++) {
            Random r = new Random(seed);
            TreeMap<String, String> keys = new TreeMap<>();
            String alphabet = "ab/-\uffff";
            int n = r.nextInt(40);
            for (int i = 0; i < n; i++) {
                StringBuilder k = new StringBuilder();
                int len = 1 + r.nextInt(6);
                for (int j = 0; j < len; j++) {
                    k.append(alphabet.charAt(r.nextInt(alphabet.length())));
                }
                keys.put(k.toString(), "v");
            }
            String prefix = r.nextBoolean() ? "" : String.valueOf(alphabet.charAt(r.nextInt(3)));
            String delimiter = switch (r.nextInt(3)) {
                case 0 -> "";
                case 1 -> "/";
                default -> "b/";
            };
            int max = 1 + r.nextInt(4);
            assertThat(paged(keys, prefix, delimiter, max)).as("seed %d", seed)
                    .isEqualTo(naive(keys, prefix, delimiter));
        }
    }

    @Test
    void maxKeysZeroAndStartAfterBeyondEverything() {
        TreeMap<String, String> keys = new TreeMap<>(Map.of("a", "1", "b", "2"));
        KeyLister.Source<String> src = (k, inc) -> Optional.ofNullable(inc ? keys.ceilingEntry(k) : keys.higherEntry(k));
        assertThat(KeyLister.page(src, new ListQuery("", Optional.empty(), Optional.empty(), 0)).truncated()).isFalse();
        assertThat(KeyLister.page(src, new ListQuery("", Optional.empty(), Optional.of("z"), 5)).entries()).isEmpty();
    }
}
