package io.keel.meta.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DecodeMemoTest {
    private final ClusterCodec codec = new ClusterCodec();

    private byte[] bytes(List<String> nodes) {
        return codec.write(new ComputeCluster(Instant.parse("2026-12-04T00:00:00Z"), nodes));
    }

    @Test
    void equalBytesShareOneValueAndOtherBytesDecodeAfresh() {
        ComputeCluster a = codec.readRecord(bytes(List.of("n1", "n2")), ComputeCluster.class);
        ComputeCluster again = codec.readRecord(bytes(List.of("n1", "n2")), ComputeCluster.class);
        ComputeCluster other = codec.readRecord(bytes(List.of("n1", "n3")), ComputeCluster.class);
        assertThat(again).isSameAs(a);
        assertThat(other.nodeIds()).containsExactly("n1", "n3");
    }

    @Test
    void theCallersArrayIsNotKeptSoReusingItChangesNothing() {
        byte[] buffer = bytes(List.of("n1", "n2"));
        ComputeCluster first = codec.readRecord(buffer, ComputeCluster.class);
        byte[] changed = bytes(List.of("n1", "n9"));
        System.arraycopy(changed, 0, buffer, 0, buffer.length);
        assertThat(codec.readRecord(bytes(List.of("n1", "n2")), ComputeCluster.class)).isSameAs(first);
        assertThat(codec.readRecord(buffer, ComputeCluster.class).nodeIds()).containsExactly("n1", "n9");
    }

    @Test
    void malformedBytesAreRefusedEveryTimeAndNeverRemembered() {
        byte[] bad = "{\"createdAt\":".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> codec.readRecord(bad, ComputeCluster.class))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("malformed ComputeCluster");
        }
    }

    @Test
    void theSameBytesAsAnotherTypeAreNotConfused() {
        DecodeMemo memo = new DecodeMemo();
        byte[] b = {1, 2, 3};
        assertThat(memo.decode(b, String.class, () -> "text")).isEqualTo("text");
        assertThat(memo.decode(b, Integer.class, () -> 7)).isEqualTo(7);
        assertThat(memo.decode(b.clone(), String.class, () -> "not asked")).isEqualTo("text");
    }
}
