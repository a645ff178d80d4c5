package io.keel.meta.shard;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.keel.meta.store.RocksKvStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The logic against the real store it runs on, through the same atomic apply the state machine uses. */
class ShardLogicTest {
    @TempDir
    Path tmp;
    RocksKvStore store;
    long index;
    final ShardLogic logic = new ShardLogic();

    @BeforeEach
    void open() throws IOException {
        store = RocksKvStore.open(tmp.resolve("db"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private ShardOutcome apply(ShardBatch batch) throws IOException {
        return ShardCodec.decodeOutcome(applyBytes(ShardCodec.encode(batch)));
    }

    private byte[] applyBytes(byte[] command) throws IOException {
        long i = ++index;
        return store.applyAtomically(1, i, kv -> logic.apply(i, command, kv));
    }

    private SortedMap<String, String> dump() {
        SortedMap<String, String> out = new TreeMap<>();
        store.scan("").forEach((k, v) -> out.put(k, v.length == 8 ? "#" + ShardLogic.counterValue(Optional.of(v))
                : new String(v, UTF_8)));
        return out;
    }

    private static ShardBatch.Put put(String k, String v) {
        return new ShardBatch.Put(k, v.getBytes(UTF_8));
    }

    private static ShardBatch.Equals eq(String k, String v) {
        return new ShardBatch.Equals(k, v.getBytes(UTF_8));
    }

    @Test
    void appliesOperationsInOrderWhenConditionsHold() throws IOException {
        assertThat(apply(new ShardBatch(List.of(new ShardBatch.Absent("a")), List.of(put("a", "1"), put("b", "2")))))
                .isEqualTo(new ShardOutcome.Applied());
        assertThat(apply(new ShardBatch(List.of(eq("a", "1"), new ShardBatch.Absent("c")),
                List.of(put("a", "x"), new ShardBatch.Delete("a"), put("c", "3"), new ShardBatch.Delete("b"), put("b", "4")))))
                .isEqualTo(new ShardOutcome.Applied());
        assertThat(dump()).containsExactly(Map.entry("b", "4"), Map.entry("c", "3"));
    }

    @Test
    void aFailedConditionWritesNothingAndNamesTheCondition() throws IOException {
        apply(ShardBatch.of(List.of(put("a", "1"))));
        SortedMap<String, String> before = dump();
        assertThat(apply(new ShardBatch(List.of(new ShardBatch.Absent("b"), eq("a", "2")), List.of(put("b", "x")))))
                .isEqualTo(new ShardOutcome.Conflict(1));
        assertThat(apply(new ShardBatch(List.of(new ShardBatch.Absent("a")), List.of(put("b", "x")))))
                .isEqualTo(new ShardOutcome.Conflict(0));
        assertThat(apply(new ShardBatch(List.of(eq("zz", "")), List.of(put("b", "x")))))
                .as("Equals on an absent key fails, even for an empty value").isEqualTo(new ShardOutcome.Conflict(0));
        assertThat(dump()).isEqualTo(before);
        assertThat(store.appliedIndex()).as("the index still moves: the command was applied, as a no-op").isEqualTo(index);
    }

    @Test
    void conditionsSeeTheStateBeforeTheBatchNotItsOwnWrites() throws IOException {
        // The Put of "a" comes first in the list but conditions are checked before any operation.
        assertThat(apply(new ShardBatch(List.of(new ShardBatch.Absent("a")), List.of(put("a", "1"), put("a", "2")))))
                .isEqualTo(new ShardOutcome.Applied());
        assertThat(dump()).containsExactly(Map.entry("a", "2"));
    }

    @Test
    void countersAddFromZeroAndVanishAtZero() throws IOException {
        apply(ShardBatch.of(List.of(new ShardBatch.Add("n", 5), new ShardBatch.Add("n", 2), new ShardBatch.Add("m", -1))));
        assertThat(dump()).containsExactly(Map.entry("m", "#-1"), Map.entry("n", "#7"));
        apply(ShardBatch.of(List.of(new ShardBatch.Add("n", -7), new ShardBatch.Add("m", 1))));
        assertThat(dump()).isEmpty();
        // An Add sees an earlier Put of the same batch, and a Put after an Add wins.
        apply(ShardBatch.of(List.of(new ShardBatch.Put("n", ShardLogic.counterBytes(10)), new ShardBatch.Add("n", 1),
                new ShardBatch.Add("p", 1), put("p", "text"))));
        assertThat(dump()).containsExactly(Map.entry("n", "#11"), Map.entry("p", "text"));
        // Reaching 0 inside the batch and going on counts from 0 again.
        apply(ShardBatch.of(List.of(new ShardBatch.Add("n", -11), new ShardBatch.Add("n", 4))));
        assertThat(dump()).containsEntry("n", "#4");
        assertThat(ShardLogic.counterValue(store.get("n"))).isEqualTo(4);
        assertThat(ShardLogic.counterValue(Optional.empty())).isZero();
    }

    @Test
    void aBadCounterRejectsTheWholeBatch() throws IOException {
        apply(ShardBatch.of(List.of(put("text", "abc"), new ShardBatch.Add("big", Long.MAX_VALUE))));
        SortedMap<String, String> before = dump();
        ShardOutcome notACounter = apply(ShardBatch.of(List.of(put("x", "1"), new ShardBatch.Add("text", 1))));
        assertThat(notACounter).isInstanceOf(ShardOutcome.Rejected.class);
        assertThat(((ShardOutcome.Rejected) notACounter).reason()).contains("text", "8-byte counter");
        ShardOutcome overflow = apply(ShardBatch.of(List.of(put("x", "1"), new ShardBatch.Add("big", 1))));
        assertThat(overflow).isInstanceOf(ShardOutcome.Rejected.class);
        assertThat(((ShardOutcome.Rejected) overflow).reason()).contains("overflow");
        assertThat(dump()).as("the Put before the bad Add was not written").isEqualTo(before);
    }

    @Test
    void malformedCommandsAreRejectedWithoutWrites() throws IOException {
        apply(ShardBatch.of(List.of(put("a", "1"))));
        SortedMap<String, String> before = dump();
        for (byte[] garbage : List.of(new byte[0], new byte[] {9}, "put a 2".getBytes(UTF_8), new byte[] {1, 0, 1, 1, 1, 'a'})) {
            ShardOutcome outcome = ShardCodec.decodeOutcome(applyBytes(garbage));
            assertThat(outcome).isInstanceOf(ShardOutcome.Rejected.class);
            assertThat(((ShardOutcome.Rejected) outcome).reason()).startsWith("malformed batch");
        }
        assertThat(dump()).isEqualTo(before);
    }

    @Test
    void nonAsciiKeysAreStoredExactly() throws IOException {
        String k1 = "o/b/\u00e9t\u00e9";
        String k2 = "o/b/\ud83d\ude00";
        apply(ShardBatch.of(List.of(put(k1, "1"), put(k2, "2"))));
        assertThat(store.get(k1)).map(v -> new String(v, UTF_8)).contains("1");
        assertThat(store.range("o/b/", null, 10)).extracting(Map.Entry::getKey).containsExactly(k1, k2);
    }

    @Test
    void groupMembersApplyInOrderEachWithItsOwnOutcome() throws IOException {
        apply(ShardBatch.of(List.of(put("a", "0"))));
        byte[] group = ShardGroupCodec.encode(List.of(
                ShardCodec.encode(new ShardBatch(List.of(eq("a", "0")), List.of(put("a", "1")))),
                // Sees the member before it: "a" is 1 now, so this one conflicts and writes nothing.
                ShardCodec.encode(new ShardBatch(List.of(eq("a", "0")), List.of(put("a", "lost"), put("b", "lost")))),
                ShardCodec.encode(new ShardBatch(List.of(eq("a", "1")), List.of(put("c", "3"),
                        new ShardBatch.Add("n", 5)))),
                ShardCodec.encode(ShardBatch.of(List.of(put("n", "not a counter"), new ShardBatch.Add("n", 1)))),
                ShardCodec.encode(ShardBatch.of(List.of(new ShardBatch.Add("n", 2))))));
        byte[] result = applyBytes(group);
        assertThat(ShardGroupCodec.decodeOutcomes(result, 5)).containsExactly(new ShardOutcome.Applied(),
                new ShardOutcome.Conflict(0), new ShardOutcome.Applied(),
                new ShardOutcome.Rejected("Add to n: value of n has 13 bytes, not an 8-byte counter"),
                new ShardOutcome.Applied());
        assertThat(dump()).containsExactly(Map.entry("a", "1"), Map.entry("c", "3"), Map.entry("n", "#7"));
    }

    @Test
    void aMalformedGroupIsRefusedWholeAndWritesNothing() throws IOException {
        byte[] good = ShardCodec.encode(ShardBatch.of(List.of(put("a", "1"))));
        byte[] group = ShardGroupCodec.encode(List.of(good, new byte[] {1, 0, 0}));
        assertThat(ShardCodec.decodeOutcome(applyBytes(group))).isInstanceOfSatisfying(ShardOutcome.Rejected.class,
                r -> assertThat(r.reason()).startsWith("malformed group: ").contains("no operations"));
        assertThat(dump()).isEmpty();
    }
}
