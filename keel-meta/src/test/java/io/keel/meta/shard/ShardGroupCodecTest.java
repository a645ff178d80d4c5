package io.keel.meta.shard;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShardGroupCodecTest {
    private static byte[] batch(String key) {
        return ShardCodec.encode(ShardBatch.of(List.of(new ShardBatch.Put(key, key.getBytes(UTF_8)))));
    }

    @Test
    void membersRoundTripAndAVersionOneBatchIsNoGroup() {
        List<byte[]> members = List.of(batch("a"), batch("b"), batch("c"));
        byte[] group = ShardGroupCodec.encode(members);
        assertThat(ShardGroupCodec.isGroup(group)).isTrue();
        assertThat(ShardGroupCodec.isGroup(batch("a"))).isFalse();
        List<byte[]> back = ShardGroupCodec.decode(group);
        assertThat(back).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(back.get(i)).isEqualTo(members.get(i));
        }
        byte[] outcomes = ShardGroupCodec.encodeOutcomes(List.of(ShardCodec.encodeOutcome(new ShardOutcome.Applied()),
                ShardCodec.encodeOutcome(new ShardOutcome.Conflict(2))));
        assertThat(ShardGroupCodec.decodeOutcomes(outcomes, 2))
                .containsExactly(new ShardOutcome.Applied(), new ShardOutcome.Conflict(2));
        assertThatThrownBy(() -> ShardGroupCodec.decodeOutcomes(outcomes, 3))
                .hasMessageContaining("2 members, expected 3");
    }

    @Test
    void sizesOutsideTwoToTheLimitAreRefused() {
        assertThatThrownBy(() -> ShardGroupCodec.encode(List.of(batch("a")))).hasMessageContaining("2 to 64");
        List<byte[]> many = new ArrayList<>();
        for (int i = 0; i <= ShardGroupCodec.MAX_BATCHES; i++) {
            many.add(batch("k" + i));
        }
        assertThatThrownBy(() -> ShardGroupCodec.encode(many)).hasMessageContaining("not 65");
        assertThatThrownBy(() -> ShardGroupCodec.decode(new byte[] {2, 1, 1, 0})).hasMessageContaining("group of 1");
    }

    @Test
    void truncatedOrPaddedGroupsAreRefused() {
        byte[] group = ShardGroupCodec.encode(List.of(batch("a"), batch("b")));
        for (int cut = 1; cut < group.length; cut++) {
            byte[] shorter = Arrays.copyOf(group, cut);
            assertThatThrownBy(() -> ShardGroupCodec.decode(shorter)).as("cut at %d", cut)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        byte[] longer = Arrays.copyOf(group, group.length + 1);
        assertThatThrownBy(() -> ShardGroupCodec.decode(longer)).hasMessageContaining("trailing");
        assertThatThrownBy(() -> ShardGroupCodec.decode(batch("a"))).hasMessageContaining("not a group");
        assertThatThrownBy(() -> ShardGroupCodec.decode(new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }
}
