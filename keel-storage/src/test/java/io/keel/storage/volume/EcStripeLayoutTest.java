package io.keel.storage.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The stripe arithmetic, for M = 3 where a 1 MiB chunk's 256 units do not fill the last row. */
class EcStripeLayoutTest {
    static final int U = StripeLayout.UNIT;
    final StripeLayout s = new StripeLayout(3, 1 << 20);

    @Test
    void sizesRoundTheLastRowUp() {
        assertThat(s.units()).isEqualTo(256);
        assertThat(s.rows()).isEqualTo(86);
        assertThat(s.fragmentSize()).isEqualTo(86 * U);
        assertThat(s.rowStart(85)).isEqualTo(85 * 3 * U);
        assertThat(s.rowEnd(85)).isEqualTo(1 << 20);
        assertThat(s.rowEnd(84)).isEqualTo(85 * 3 * U);
        assertThat(new StripeLayout(1, 1 << 20).fragmentSize()).isEqualTo(1 << 20);
        assertThat(new StripeLayout(4, 1 << 20).rows()).isEqualTo(64);
    }

    @Test
    void offsetsMapToRowFragmentAndFragmentOffset() {
        assertThat(List.of(s.row(0), s.fragment(0), s.fragmentOffset(0))).containsExactly(0, 0, 0);
        assertThat(List.of(s.row(U), s.fragment(U), s.fragmentOffset(U))).containsExactly(0, 1, 0);
        assertThat(List.of(s.row(2 * U + 5), s.fragment(2 * U + 5), s.fragmentOffset(2 * U + 5)))
                .containsExactly(0, 2, 5);
        assertThat(List.of(s.row(3 * U + 7), s.fragment(3 * U + 7), s.fragmentOffset(3 * U + 7)))
                .containsExactly(1, 0, U + 7);
        int last = (1 << 20) - 1;
        assertThat(List.of(s.row(last), s.fragment(last), s.fragmentOffset(last)))
                .containsExactly(85, 0, 85 * U + U - 1);
    }

    @Test
    void touchedRangesAreContiguousPerFragment() {
        // Units 0 (from byte 4000) to 3 (up to byte 103): fragment 0 has units 0 and 3.
        int off = 4000;
        int len = 3 * U + 104 - 4000;
        assertThat(s.touched(0, off, len)).isEqualTo(new StripeLayout.Range(4000, U + 104));
        assertThat(s.touched(1, off, len)).isEqualTo(new StripeLayout.Range(0, U));
        assertThat(s.touched(2, off, len)).isEqualTo(new StripeLayout.Range(0, U));
        assertThat(s.touched(1, 10, 100)).isNull();
        assertThat(s.touched(0, 10, 100)).isEqualTo(new StripeLayout.Range(10, 110));
    }

    @Test
    void fullRowsOfARange() {
        int row = 3 * U;
        assertThat(s.firstRow(100)).isZero();
        assertThat(s.endRow(100, 30_000)).isEqualTo(3);
        assertThat(s.firstFullRow(100)).isEqualTo(1);
        assertThat(s.endFullRow(100, 30_000)).isEqualTo(2);
        assertThat(s.covers(100, 30_000, 1)).isTrue();
        assertThat(s.covers(100, 30_000, 0)).isFalse();
        assertThat(s.covers(100, 30_000, 2)).isFalse();
        assertThat(s.firstFullRow(row)).isEqualTo(1);
        assertThat(s.endFullRow(row, row)).isEqualTo(2);
        // The last row ends with the chunk: its one unit covers it.
        assertThat(s.covers((1 << 20) - U, U, 85)).isTrue();
        assertThat(s.endFullRow((1 << 20) - U, U)).isEqualTo(86);
    }

    @Test
    void piecesAndTouchedRangesAgreeOnRandomRanges() {
        long seed = System.nanoTime();
        System.out.println("EcStripeLayoutTest seed " + seed);
        Random rnd = new Random(seed);
        for (int m = 1; m <= 5; m++) {
            StripeLayout l = new StripeLayout(m, 1 << 16);
            for (int i = 0; i < 2000; i++) {
                int off = rnd.nextInt(1 << 16);
                int len = 1 + rnd.nextInt((1 << 16) - off);
                int[] lo = new int[m];
                int[] hi = new int[m];
                java.util.Arrays.fill(lo, Integer.MAX_VALUE);
                List<Integer> next = new ArrayList<>(List.of(off));
                l.forEachPiece(off, len, (k, fo, co, n) -> {
                    assertThat(co).isEqualTo(next.getFirst());
                    assertThat(fo).isEqualTo(l.fragmentOffset(co));
                    assertThat(k).isEqualTo(co / U % l.data());
                    next.set(0, co + n);
                    lo[k] = Math.min(lo[k], fo);
                    hi[k] = Math.max(hi[k], fo + n);
                });
                assertThat(next.getFirst()).isEqualTo(off + len);
                int totalTouched = 0;
                for (int k = 0; k < m; k++) {
                    StripeLayout.Range r = l.touched(k, off, len);
                    if (lo[k] == Integer.MAX_VALUE) {
                        assertThat(r).as("seed %d m %d off %d len %d k %d", seed, m, off, len, k).isNull();
                    } else {
                        assertThat(r).as("seed %d m %d off %d len %d k %d", seed, m, off, len, k)
                                .isEqualTo(new StripeLayout.Range(lo[k], hi[k]));
                        totalTouched += r.length();
                    }
                }
                assertThat(totalTouched).isEqualTo(len);
            }
        }
    }

    @Test
    void rejectsBadShapes() {
        assertThatThrownBy(() -> new StripeLayout(0, 1 << 20)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StripeLayout(3, 1000)).isInstanceOf(IllegalArgumentException.class);
    }
}
