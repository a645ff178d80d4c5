package io.keel.meta.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocksKvStoreTest {
    @TempDir
    Path tmp;

    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    private static String s(byte[] b) {
        return new String(b, UTF_8);
    }

    @Test
    void freshStoreHasNothingApplied() throws IOException {
        try (RocksKvStore store = RocksKvStore.open(tmp.resolve("db"))) {
            assertThat(store.appliedIndex()).isEqualTo(RocksKvStore.NONE_APPLIED);
            assertThat(store.get("x")).isEmpty();
            assertThat(store.scan("")).isEmpty();
        }
    }

    @Test
    void applyCommitsWritesAndIndexTogetherAndSeesOwnWrites() throws IOException {
        try (RocksKvStore store = RocksKvStore.open(tmp.resolve("db"))) {
            store.applyAtomically(1, 1, kv -> {
                kv.put("a", b("1"));
                kv.put("b", b("2"));
                return null;
            });
            String seen = store.applyAtomically(1, 2, kv -> {
                kv.put("c", b("3"));
                kv.delete("a");
                assertThat(kv.get("c")).map(RocksKvStoreTest::s).contains("3");
                assertThat(kv.get("a")).isEmpty();
                assertThat(kv.scan("").keySet()).containsExactly("b", "c");
                // Nothing is visible outside the command before it returns.
                assertThat(store.get("c")).isEmpty();
                return "done";
            });
            assertThat(seen).isEqualTo("done");
            assertThat(store.scan("").keySet()).containsExactly("b", "c");
            assertThat(store.appliedIndex()).isEqualTo(2);
            assertThat(store.appliedTerm()).isEqualTo(1);
        }
    }

    @Test
    void throwingCommandLeavesStateButAdvancesIndex() throws IOException {
        try (RocksKvStore store = RocksKvStore.open(tmp.resolve("db"))) {
            store.applyAtomically(1, 1, kv -> {
                kv.put("keep", b("v"));
                return null;
            });
            assertThatThrownBy(() -> store.applyAtomically(2, 5, kv -> {
                kv.put("lost", b("x"));
                kv.delete("keep");
                throw new IllegalStateException("rejected");
            })).isInstanceOf(IllegalStateException.class).hasMessage("rejected");

            assertThat(store.get("lost")).isEmpty();
            assertThat(store.get("keep")).map(RocksKvStoreTest::s).contains("v");
            assertThat(store.appliedIndex()).isEqualTo(5);
            assertThat(store.appliedTerm()).isEqualTo(2);
            assertThatThrownBy(() -> store.applyAtomically(2, 5, kv -> null))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void scanIsOrderedAndBoundedByPrefix() throws IOException {
        try (RocksKvStore store = RocksKvStore.open(tmp.resolve("db"))) {
            store.applyAtomically(1, 1, kv -> {
                for (String k : List.of("node/b", "node/a", "node", "nodes/x", "disk/1", "node/a/1", "nodf")) {
                    kv.put(k, b(k));
                }
                return null;
            });
            SortedMap<String, byte[]> nodes = store.scan("node/");
            assertThat(nodes.keySet()).containsExactly("node/a", "node/a/1", "node/b");
            assertThat(s(nodes.get("node/b"))).isEqualTo("node/b");
            assertThat(store.scan("node").keySet()).containsExactly("node", "node/a", "node/a/1", "node/b", "nodes/x");
            assertThat(store.scan("zzz")).isEmpty();
            assertThat(store.scan("").keySet()).hasSize(7).first().isEqualTo("disk/1");
            // The applied-index marker never leaks into user scans.
            assertThat(store.scan("").keySet()).allMatch(k -> !k.startsWith("m/"));
        }
    }

    @Test
    void reopenKeepsDataAndAppliedIndex() throws IOException {
        Path dir = tmp.resolve("db");
        try (RocksKvStore store = RocksKvStore.open(dir)) {
            store.applyAtomically(3, 7, kv -> {
                kv.put("k", b("v"));
                return null;
            });
        }
        try (RocksKvStore store = RocksKvStore.open(dir)) {
            assertThat(store.appliedIndex()).isEqualTo(7);
            assertThat(store.appliedTerm()).isEqualTo(3);
            assertThat(store.get("k")).map(RocksKvStoreTest::s).contains("v");
        }
    }

    @Test
    void checkpointOpensAsIdenticalStore() throws IOException {
        Path cp = tmp.resolve("cp");
        try (RocksKvStore store = RocksKvStore.open(tmp.resolve("db"))) {
            for (int i = 1; i <= 50; i++) {
                int n = i;
                store.applyAtomically(1, i, kv -> {
                    kv.put("key/" + n, b("value-" + n));
                    return null;
                });
            }
            store.checkpoint(cp);
            // Later writes do not reach the checkpoint.
            store.applyAtomically(1, 51, kv -> {
                kv.put("later", b("x"));
                return null;
            });
            try (RocksKvStore copy = RocksKvStore.open(cp)) {
                assertThat(copy.appliedIndex()).isEqualTo(50);
                assertThat(copy.get("later")).isEmpty();
                SortedMap<String, byte[]> expected = store.scan("key/");
                SortedMap<String, byte[]> actual = copy.scan("");
                assertThat(actual.keySet()).isEqualTo(expected.keySet());
                expected.forEach((k, v) -> assertThat(actual.get(k)).isEqualTo(v));
            }
            assertThatThrownBy(() -> store.checkpoint(cp)).isInstanceOf(IOException.class);
        }
    }

    @Test
    void foreignOrCorruptedDirectoryGivesClearError() throws IOException {
        Path junk = tmp.resolve("junk");
        Files.createDirectories(junk);
        Files.writeString(junk.resolve("something.txt"), "not a database");
        assertThatThrownBy(() -> RocksKvStore.open(junk)).isInstanceOf(IOException.class)
                .hasMessageContaining("no RocksDB database");

        Path file = tmp.resolve("file");
        Files.writeString(file, "x");
        assertThatThrownBy(() -> RocksKvStore.open(file)).isInstanceOf(IOException.class)
                .hasMessageContaining("not a directory");

        Path broken = tmp.resolve("broken");
        try (RocksKvStore store = RocksKvStore.open(broken)) {
            store.applyAtomically(1, 1, kv -> null);
        }
        Files.writeString(broken.resolve("CURRENT"), "MANIFEST-999999\n");
        assertThatThrownBy(() -> RocksKvStore.open(broken)).isInstanceOf(IOException.class)
                .hasMessageContaining("Cannot open RocksDB state");
    }

    @Test
    void closedStoreRejectsUse() throws IOException {
        RocksKvStore store = RocksKvStore.open(tmp.resolve("db"));
        store.close();
        store.close();
        assertThatThrownBy(() -> store.get("a")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> store.applyAtomically(1, 1, kv -> null)).isInstanceOf(IllegalStateException.class);
    }
}
