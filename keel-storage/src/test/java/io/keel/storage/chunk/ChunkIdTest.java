package io.keel.storage.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ChunkIdTest {

    @Test
    void fileNameIsStableAndParsesBack() {
        ChunkId id = new ChunkId("vol-A9", 42);
        assertThat(id.fileName()).isEqualTo("vol-A9_000000000000002a");
        assertThat(ChunkId.fromFileName(id.fileName())).contains(id);
        assertThat(ChunkId.fromFileName(new ChunkId("x", Long.MAX_VALUE).fileName()))
                .contains(new ChunkId("x", Long.MAX_VALUE));
    }

    @Test
    void rejectsInvalidIds() {
        assertThatThrownBy(() -> new ChunkId("", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChunkId("a_b", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChunkId("a/b", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChunkId("x".repeat(65), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChunkId("ok", -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChunkId(null, 0)).isInstanceOf(NullPointerException.class);
        assertThat(new ChunkId("x".repeat(64), 0).volumeId()).hasSize(64);
    }

    @Test
    void fromFileNameRejectsForeignNames() {
        assertThat(ChunkId.fromFileName("vol_12")).isEmpty();
        assertThat(ChunkId.fromFileName("vol_000000000000002A")).isEmpty();
        assertThat(ChunkId.fromFileName("vol_ffffffffffffffff")).isEmpty(); // negative index
        assertThat(ChunkId.fromFileName("v.l_000000000000002a")).isEmpty();
        assertThat(ChunkId.fromFileName("lock")).isEmpty();
    }

    @Test
    void ordersByVolumeThenIndex() {
        assertThat(new ChunkId("a", 10)).isLessThan(new ChunkId("b", 0));
        assertThat(new ChunkId("a", 2)).isLessThan(new ChunkId("a", 10));
    }
}
