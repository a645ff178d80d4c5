package io.keel.iscsi.scsi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ReadBuffersTest {
    private final ReadBuffers buffers = new ReadBuffers();

    @Test
    void aBufferHasExactlyTheLengthAskedForInDirectMemoryOfAPowerOfTwo() {
        ByteBuffer b = buffers.take(1_000_000);
        assertThat(b.isDirect()).isTrue();
        assertThat(b.position()).isZero();
        assertThat(b.remaining()).isEqualTo(1_000_000);
        assertThat(b.capacity()).isEqualTo(1 << 20);
        assertThat(buffers.take(1).capacity()).isEqualTo(4096);
        assertThat(buffers.take(4097).capacity()).isEqualTo(8192);
        assertThat(buffers.take(16 << 20).capacity()).isEqualTo(16 << 20);
    }

    @Test
    void aBufferGivenBackIsTakenAgainWhateverItsPositionAndLimitWere() {
        ByteBuffer b = buffers.take(4096);
        b.position(100).limit(200);
        buffers.give(b);
        assertThat(buffers.kept()).isEqualTo(4096);
        ByteBuffer again = buffers.take(3000);
        assertThat(again).isSameAs(b);
        assertThat(again.position()).isZero();
        assertThat(again.remaining()).isEqualTo(3000);
        assertThat(buffers.kept()).isZero();
        // Another size class does not take it.
        buffers.give(again);
        assertThat(buffers.take(8192)).isNotSameAs(b);
    }

    @Test
    void atMostKeepBytesAreKeptIdle() {
        int many = (int) (ReadBuffers.KEEP_BYTES / (1 << 20)) + 4;
        ByteBuffer[] taken = new ByteBuffer[many];
        for (int i = 0; i < many; i++) {
            taken[i] = buffers.take(1 << 20);
        }
        for (ByteBuffer b : taken) {
            buffers.give(b);
        }
        assertThat(buffers.kept()).isEqualTo(ReadBuffers.KEEP_BYTES);
    }

    @Test
    void foreignBuffersAndImpossibleLengthsAreRefused() {
        assertThatThrownBy(() -> buffers.give(ByteBuffer.allocate(4096))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> buffers.give(ByteBuffer.allocateDirect(5000)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> buffers.take(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> buffers.take(Integer.MAX_VALUE)).isInstanceOf(IllegalArgumentException.class);
    }
}
