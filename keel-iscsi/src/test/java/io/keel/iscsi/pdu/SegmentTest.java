package io.keel.iscsi.pdu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Ranges of one buffer (the Data-In PDUs of a large read) behave like arrays of their own. */
class SegmentTest {
    @Test
    void aRangeEqualsAndHashesLikeTheSameBytesOnTheirOwn() {
        byte[] buffer = {9, 1, 2, 3, 9};
        Segment range = Segment.of(buffer, 1, 3);
        Segment whole = Segment.of(new byte[] {1, 2, 3});
        assertThat(range).isEqualTo(whole).hasSameHashCodeAs(whole);
        assertThat(range.length()).isEqualTo(3);
        assertThat(range.bytes()).containsExactly(1, 2, 3);
        assertThat(Segment.of(buffer, 0, 3)).isNotEqualTo(whole);
        assertThat(Segment.of(buffer, 2, 0)).isSameAs(Segment.EMPTY);
    }

    @Test
    void aRangeOutsideItsArrayIsRefused() {
        assertThatThrownBy(() -> Segment.of(new byte[4], 2, 3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> Segment.of(new byte[4], -1, 1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void aRangeGoesOnTheWireExactlyAsItsOwnArrayWouldWithDigests() throws Exception {
        byte[] buffer = new byte[10_000];
        new Random(7).nextBytes(buffer);
        // An odd length, so padding and the data digest cover the range's end, not the buffer's.
        int offset = 1_234;
        int length = 4_097;
        byte[] copy = java.util.Arrays.copyOfRange(buffer, offset, offset + length);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(wire);
        writer.configure(true, true);
        writer.write(List.of(dataIn(Segment.of(buffer, offset, length))), true);
        assertThat(wire.toByteArray()).isEqualTo(FrameWriter.encode(dataIn(Segment.of(copy)), true, true));
    }

    @Test
    void aDirectBufferEqualsItsBytesAndGoesOnTheWireLikeThem() throws Exception {
        byte[] bytes = new byte[FrameWriter.COPY_LIMIT * 3 + 3];
        new Random(11).nextBytes(bytes);
        java.nio.ByteBuffer direct = java.nio.ByteBuffer.allocateDirect(bytes.length + 10);
        direct.position(10);
        direct.put(bytes).position(10);
        Segment segment = Segment.of(direct);
        assertThat(segment).isEqualTo(Segment.of(bytes)).hasSameHashCodeAs(Segment.of(bytes));
        assertThat(segment.bytes()).isEqualTo(bytes);
        for (boolean digests : new boolean[] {false, true}) {
            ByteArrayOutputStream wire = new ByteArrayOutputStream();
            FrameWriter writer = new FrameWriter(wire);
            writer.configure(digests, digests);
            writer.write(List.of(dataIn(Segment.of(new byte[] {1, 2, 3})), dataIn(segment)), true);
            assertThat(wire.toByteArray()).isEqualTo(concat(FrameWriter.encode(dataIn(Segment.of(new byte[] {1, 2, 3})),
                    digests, digests), FrameWriter.encode(dataIn(Segment.of(bytes)), digests, digests)));
        }
    }

    @Test
    void aLargeSegmentHasLeftWhenTheWriteReturnsEvenWithoutAFlush() throws Exception {
        // Its buffer goes back to the pool right after: later changes must not reach the wire.
        byte[] bytes = new byte[FrameWriter.COPY_LIMIT + 1];
        new Random(5).nextBytes(bytes);
        java.nio.ByteBuffer direct = java.nio.ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(wire);
        writer.write(List.of(dataIn(Segment.of(direct))), false);
        direct.put(0, (byte) ~bytes[0]);
        writer.write(List.of(), true);
        assertThat(wire.toByteArray()).isEqualTo(FrameWriter.encode(dataIn(Segment.of(bytes)), false, false));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static Pdu dataIn(Segment data) {
        return new Pdu.DataIn(true, false, false, false, true, 0, 0, 0x11, Opcode.NO_TAG, 5, 6, 40, 0, 0, 0, data);
    }
}
