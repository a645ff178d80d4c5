package io.keel.ec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The property the code rests on: every M rows of the (M+N)×M generator are invertible. */
class GeneratorTest {
    @Test
    void everyMByMSubmatrixIsInvertibleForAllCodesUpTo12Fragments() {
        int checked = 0;
        for (int total = 1; total <= 12; total++) {
            for (int m = 1; m <= total; m++) {
                int[][] g = GfMatrix.cauchyGenerator(m, total - m);
                for (int[] rows : subsets(total, m)) {
                    assertInvertible(g, rows, m, total - m);
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(4000);
    }

    @Test
    void everyLossOfUpToNFragmentsLeavesAnInvertibleSubmatrixForWideCodes() {
        for (int[] code : new int[][] {{17, 3}, {10, 4}, {24, 4}, {28, 4}, {16, 16}}) {
            int m = code[0];
            int n = code[1];
            int[][] g = GfMatrix.cauchyGenerator(m, n);
            // With n lost, the survivors read are the first m of the rest; n ≤ 3 (or 2 for 16+16) keeps
            // the count of patterns small while still moving the survivor window over every row.
            int maxLost = n <= 4 && m <= 17 ? n : 2;
            for (int lost = 0; lost <= maxLost; lost++) {
                for (int[] gone : subsets(m + n, lost)) {
                    assertInvertible(g, firstSurvivors(m + n, gone, m), m, n);
                }
            }
        }
    }

    @Test
    void inverseTimesMatrixIsIdentity() {
        int[][] g = GfMatrix.cauchyGenerator(6, 3);
        int[][] s = GfMatrix.rows(g, new int[] {1, 3, 5, 6, 7, 8});
        int[][] product = GfMatrix.multiply(GfMatrix.invert(s), s);
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 6; j++) {
                assertThat(product[i][j]).isEqualTo(i == j ? 1 : 0);
            }
        }
    }

    private static void assertInvertible(int[][] g, int[] rows, int m, int n) {
        assertThatCode(() -> GfMatrix.invert(GfMatrix.rows(g, rows)))
                .as("%d+%d rows %s", m, n, java.util.Arrays.toString(rows))
                .doesNotThrowAnyException();
    }

    static int[] firstSurvivors(int total, int[] lost, int m) {
        boolean[] gone = new boolean[total];
        for (int i : lost) {
            gone[i] = true;
        }
        int[] rows = new int[m];
        for (int i = 0, found = 0; found < m; i++) {
            if (!gone[i]) {
                rows[found++] = i;
            }
        }
        return rows;
    }

    /** Every k-element subset of 0..n-1, in lexicographic order. */
    static List<int[]> subsets(int n, int k) {
        List<int[]> all = new ArrayList<>();
        int[] s = new int[k];
        for (int i = 0; i < k; i++) {
            s[i] = i;
        }
        while (true) {
            all.add(s.clone());
            int i = k - 1;
            while (i >= 0 && s[i] == n - k + i) {
                i--;
            }
            if (i < 0) {
                return all;
            }
            s[i]++;
            for (int j = i + 1; j < k; j++) {
                s[j] = s[j - 1] + 1;
            }
        }
    }
}
