package io.keel.meta.shard;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ShardCodecTest {
    static final ShardBatch SAMPLE = new ShardBatch(
            List.of(new ShardBatch.Equals("o/b1/k\u00e9y", "v1".getBytes(UTF_8)), new ShardBatch.Absent("i/\ud83d\ude00")),
            List.of(new ShardBatch.Put("o/b1/k\u00e9y", "v2".getBytes(UTF_8)), new ShardBatch.Delete("i/\ud83d\ude00"),
                    new ShardBatch.Add("c/b1/", -3), new ShardBatch.Add("c/b1/bytes", Long.MAX_VALUE),
                    new ShardBatch.Put("empty", new byte[0])));

    /** Records hold arrays, so compare through a canonical string. */
    static String show(ShardBatch batch) {
        StringBuilder sb = new StringBuilder();
        for (ShardBatch.Condition c : batch.conditions()) {
            sb.append(switch (c) {
                case ShardBatch.Equals e -> "eq " + e.key() + "=" + Arrays.toString(e.value());
                case ShardBatch.Absent a -> "absent " + a.key();
            }).append(';');
        }
        for (ShardBatch.Op op : batch.ops()) {
            sb.append(switch (op) {
                case ShardBatch.Put p -> "put " + p.key() + "=" + Arrays.toString(p.value());
                case ShardBatch.Delete d -> "del " + d.key();
                case ShardBatch.Add a -> "add " + a.key() + "+" + a.delta();
            }).append(';');
        }
        return sb.toString();
    }

    @Test
    void roundTripsEveryKindOfConditionAndOperation() {
        byte[] bytes = ShardCodec.encode(SAMPLE);
        assertThat(bytes[0]).isEqualTo(ShardCodec.VERSION);
        assertThat(show(ShardCodec.decode(bytes))).isEqualTo(show(SAMPLE));
        ShardBatch minimal = ShardBatch.of(List.of(new ShardBatch.Delete("")));
        assertThat(show(ShardCodec.decode(ShardCodec.encode(minimal)))).isEqualTo(show(minimal));
    }

    @Test
    void isCompact() {
        // version, 0 conditions, 1 op, then tag, key length, 1-byte key, value length, 1-byte value.
        assertThat(ShardCodec.encode(ShardBatch.of(List.of(new ShardBatch.Put("k", new byte[] {7}))))).hasSize(8);
    }

    @Test
    void rejectsMalformedBytes() {
        assertMalformed(new byte[0], "empty");
        assertMalformed(new byte[] {2, 0, 1, 2, 1, 'k'}, "version");
        assertMalformed(new byte[] {1, 0, 0}, "no operations");
        assertMalformed(new byte[] {1, 1, 9, 1, 'k', 1, 2, 1, 'k'}, "condition tag");
        assertMalformed(new byte[] {1, 0, 1, 9, 1, 'k'}, "operation tag");
        assertMalformed(new byte[] {1, 0, 1, 1, 5, 'k'}, "past the end");
        assertMalformed(new byte[] {1, 0, 1, 2, 1, 'k', 0}, "trailing");
        assertMalformed(new byte[] {1, 0, 1, 3, 1, 'k', 0, 0, 0}, "truncated");
        assertMalformed(new byte[] {1, 0, 1, 2, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 1},
                "longer than 5 bytes");
        assertMalformed(new byte[] {1, 0, 1, 2, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F}, "out of range");
        assertMalformed(new byte[] {1, 0, 1, 2, 2, (byte) 0xC3, (byte) 0x28}, "UTF-8");
        assertMalformed(new byte[] {1, 0, 1, 2, 3, (byte) 0xED, (byte) 0xA0, (byte) 0x80}, "UTF-8");
        assertMalformed(new byte[] {1, (byte) 0x91, (byte) 0x4E}, "at most");
        assertMalformed(new byte[] {1, 0, 1, 2, (byte) 0x81, (byte) 0x80, 0x01}, "at most");
        assertMalformed(new byte[] {1, 0, 1}, "truncated");
    }

    @Test
    void everyTruncationOfAValidBatchIsRejected() {
        byte[] bytes = ShardCodec.encode(SAMPLE);
        for (int n = 0; n < bytes.length; n++) {
            byte[] cut = Arrays.copyOf(bytes, n);
            assertThatThrownBy(() -> ShardCodec.decode(cut)).as("prefix of %d bytes", n)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void randomGarbageNeverEscapesAsAnotherException() {
        Random random = new Random(41);
        byte[] valid = ShardCodec.encode(SAMPLE);
        for (int i = 0; i < 5_000; i++) {
            byte[] bytes = random.nextBoolean() ? randomBytes(random, random.nextInt(40)) : mutate(random, valid);
            try {
                ShardCodec.decode(bytes);
            } catch (IllegalArgumentException expected) {
                // Rejected with a reason: what the shard turns into a Rejected outcome.
            }
        }
    }

    @Test
    void refusesToEncodeWhatTheShardWouldRefuse() {
        assertThatThrownBy(() -> ShardCodec.encode(ShardBatch.of(List.of(new ShardBatch.Delete("bad\ud800")))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("surrogate");
        String huge = "k".repeat(ShardCodec.MAX_KEY_BYTES + 1);
        assertThatThrownBy(() -> ShardCodec.encode(ShardBatch.of(List.of(new ShardBatch.Delete(huge)))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most");
    }

    @Test
    void outcomesRoundTripAndGarbageIsRejected() {
        for (ShardOutcome o : List.of(new ShardOutcome.Applied(), new ShardOutcome.Conflict(0),
                new ShardOutcome.Conflict(300), new ShardOutcome.Rejected("bad \u00e9"))) {
            assertThat(ShardCodec.decodeOutcome(ShardCodec.encodeOutcome(o))).isEqualTo(o);
        }
        assertThatThrownBy(() -> ShardCodec.decodeOutcome(new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ShardCodec.decodeOutcome(new byte[] {1, 9})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ShardCodec.decodeOutcome(new byte[] {1, 1, 0})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ShardCodec.decodeOutcome(new byte[] {2, 1})).isInstanceOf(IllegalArgumentException.class);
    }

    private static void assertMalformed(byte[] bytes, String reason) {
        assertThatThrownBy(() -> ShardCodec.decode(bytes)).as(Arrays.toString(bytes))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(reason);
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        if (n > 0) {
            b[0] = ShardCodec.VERSION;
        }
        return b;
    }

    private static byte[] mutate(Random random, byte[] valid) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(valid);
        byte[] b = out.toByteArray();
        b[random.nextInt(b.length)] = (byte) random.nextInt(256);
        return b;
    }
}
