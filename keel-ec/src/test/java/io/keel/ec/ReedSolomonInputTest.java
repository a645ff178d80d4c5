package io.keel.ec;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Bad input is refused before any byte is written, with a message that says what is wrong. */
class ReedSolomonInputTest {
    private final ReedSolomon rs = ReedSolomon.of(4, 2);

    @Test
    void codeShapesOutsideTheSupportedRangeAreRefused() {
        assertThatThrownBy(() -> ReedSolomon.of(30, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a stripe has at most 32 fragments, got M + N = 30 + 3 = 33");
        assertThatThrownBy(() -> ReedSolomon.of(0, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1 data fragment, got M = 0");
        assertThatThrownBy(() -> ReedSolomon.of(3, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot be negative, got N = -1");
        assertThatThrownBy(() -> ReedSolomon.of(3, 1, null)).isInstanceOf(NullPointerException.class);
        assertThatCode(() -> ReedSolomon.of(1, 31)).doesNotThrowAnyException();
        assertThatCode(() -> ReedSolomon.of(32, 0)).doesNotThrowAnyException();
    }

    @Test
    void losingMoreThanNFragmentsIsRefusedWithTheCounts() {
        ByteBuffer[] fragments = buffers(6, 100);
        fragments[0] = null;
        fragments[2] = null;
        fragments[5] = null;
        assertThatThrownBy(() -> rs.decode(fragments, buffers(6, 100))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("3 of 6 fragments are lost [0, 2, 5] but a 4+2 code tolerates at most 2 lost fragments:"
                        + " the stripe cannot be rebuilt");
        boolean[] present = {true, true, true, true, false, false};
        ReedSolomon narrow = ReedSolomon.of(5, 1);
        assertThatThrownBy(() -> narrow.decode(new byte[6][10], present, 0, 10))
                .hasMessageContaining("2 of 6 fragments are lost [4, 5] but a 5+1 code tolerates at most 1 lost fragment:");
    }

    @Test
    void unequalLengthsAreRefusedNamingBothFragments() {
        ByteBuffer[] data = buffers(4, 128);
        data[2] = ByteBuffer.allocate(127);
        assertThatThrownBy(() -> rs.encode(data, buffers(2, 128))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("fragments must have equal lengths: data fragment 0 has 128 bytes, data fragment 2 has 127");
        assertThatThrownBy(() -> rs.encode(buffers(4, 128), buffers(2, 64)))
                .hasMessage("fragments must have equal lengths: data fragment 0 has 128 bytes, parity fragment 0 has 64");
        ByteBuffer[] fragments = buffers(6, 50);
        fragments[1] = null;
        ByteBuffer[] recovered = new ByteBuffer[6];
        recovered[1] = ByteBuffer.allocate(49);
        assertThatThrownBy(() -> rs.decode(fragments, recovered))
                .hasMessage("fragments must have equal lengths: fragment 0 has 50 bytes, recovered fragment 1 has 49");
        assertThatThrownBy(() -> rs.encode(new byte[4][10], new byte[][] {new byte[10], new byte[5]}, 0, 10))
                .hasMessage("parity fragment 1 has 5 bytes, fewer than offset + length = 10");
    }

    @Test
    void wrongCountsNullsAndReadOnlyOutputsAreRefused() {
        assertThatThrownBy(() -> rs.encode(buffers(3, 8), buffers(2, 8))).hasMessage("expected 4 data fragments, got 3");
        assertThatThrownBy(() -> rs.encode(buffers(4, 8), buffers(3, 8))).hasMessage("expected 2 parity fragments, got 3");
        ByteBuffer[] data = buffers(4, 8);
        data[3] = null;
        assertThatThrownBy(() -> rs.encode(data, buffers(2, 8))).hasMessage("data fragment 3 is null");
        ByteBuffer[] parity = buffers(2, 8);
        parity[1] = parity[1].asReadOnlyBuffer();
        assertThatThrownBy(() -> rs.encode(buffers(4, 8), parity)).hasMessage("parity fragment 1 is read-only");
        ByteBuffer[] fragments = buffers(6, 8);
        fragments[4] = null;
        assertThatThrownBy(() -> rs.decode(fragments, new ByteBuffer[6]))
                .hasMessage("fragment 4 is lost but recovered[4] is null");
        assertThatThrownBy(() -> rs.decode(buffers(5, 8))).hasMessage("expected 6 fragments, got 5");
        assertThatThrownBy(() -> rs.encode(new byte[4][8], new byte[2][8], -1, 4))
                .hasMessage("offset and length cannot be negative, got -1 and 4");
        assertThatThrownBy(() -> rs.encode((ByteBuffer[]) null, buffers(2, 8))).isInstanceOf(NullPointerException.class);
    }

    @Test
    void outputsSharingBytesWithAnotherFragmentAreRefused() {
        ByteBuffer[] data = buffers(4, 8);
        ByteBuffer[] parity = {ByteBuffer.allocate(8), data[2]};
        assertThatThrownBy(() -> rs.encode(data, parity))
                .hasMessage("parity fragment 1 overlaps data fragment 2: an output must not share bytes with any other fragment");
        ByteBuffer shared = ByteBuffer.allocateDirect(12);
        ByteBuffer[] twoViews = {shared.slice(0, 8), shared.slice(4, 8)};
        assertThatThrownBy(() -> rs.encode(buffers(4, 8), twoViews))
                .hasMessage("parity fragment 0 overlaps parity fragment 1: an output must not share bytes with any other fragment");
        ByteBuffer[] fragments = buffers(6, 8);
        ByteBuffer[] recovered = new ByteBuffer[6];
        recovered[3] = fragments[5];
        fragments[3] = null;
        assertThatThrownBy(() -> rs.decode(fragments, recovered))
                .hasMessage("recovered fragment 3 overlaps fragment 5: an output must not share bytes with any other fragment");
        byte[] same = new byte[8];
        byte[][] arrays = {new byte[8], same, new byte[8], new byte[8], same, new byte[8]};
        boolean[] present = {true, true, true, true, false, true};
        assertThatThrownBy(() -> rs.decode(arrays, present, 0, 8))
                .hasMessage("fragment 4 overlaps fragment 1: an output must not share bytes with any other fragment");
        // Neighbouring ranges of one array do not overlap.
        byte[] big = new byte[48];
        ByteBuffer[] slices = new ByteBuffer[6];
        for (int i = 0; i < 6; i++) {
            slices[i] = ByteBuffer.wrap(big, 8 * i, 8).slice();
        }
        assertThatCode(() -> rs.encode(java.util.Arrays.copyOf(slices, 4), java.util.Arrays.copyOfRange(slices, 4, 6)))
                .doesNotThrowAnyException();
    }

    @Test
    void survivorsBeyondTheFirstMMustHaveTheSameLengthToo() {
        ByteBuffer[] fragments = buffers(6, 8);
        fragments[0] = null;
        fragments[5] = ByteBuffer.allocate(7);
        ByteBuffer[] recovered = buffers(6, 8);
        assertThatThrownBy(() -> rs.decode(fragments, recovered))
                .hasMessage("fragments must have equal lengths: fragment 1 has 8 bytes, fragment 5 has 7");
    }

    @Test
    void nothingLostAndNoParityAreNoOps() {
        ByteBuffer[] fragments = buffers(6, 8);
        assertThatCode(() -> rs.decode(fragments, new ByteBuffer[6])).doesNotThrowAnyException();
        ReedSolomon none = ReedSolomon.of(3, 0);
        assertThatCode(() -> none.encode(buffers(3, 8), new ByteBuffer[0])).doesNotThrowAnyException();
    }

    private static ByteBuffer[] buffers(int count, int length) {
        ByteBuffer[] b = new ByteBuffer[count];
        for (int i = 0; i < count; i++) {
            b[i] = ByteBuffer.allocate(length);
        }
        return b;
    }
}
