package io.keel.ec;

/** Small dense matrices over GF(2^8), as int[row][column]; fresh arrays in, fresh arrays out. */
final class GfMatrix {
    private GfMatrix() {}

    /**
     * The systematic generator [I; C] of an M+N code: M identity rows, then N Cauchy rows with
     * C[i][j] = 1 / (x_i + y_j), x_i = M + i, y_j = j. The x and y are 2·(M+N) ≤ 64 distinct field
     * elements, so x_i + y_j (XOR) is never 0 and every square submatrix of C is invertible; hence
     * any M rows of [I; C] are (a row subset of I fixes some unknowns, the rest is a square submatrix
     * of C). Same construction as ISA-L's gf_gen_cauchy1_matrix and Hadoop's RSUtil.genCauchyMatrix.
     */
    static int[][] cauchyGenerator(int m, int n) {
        int[][] g = new int[m + n][m];
        for (int i = 0; i < m; i++) {
            g[i][i] = 1;
        }
        for (int i = m; i < m + n; i++) {
            for (int j = 0; j < m; j++) {
                g[i][j] = Gf256.inverse(i ^ j);
            }
        }
        return g;
    }

    static int[][] rows(int[][] a, int[] rowIndexes) {
        int[][] r = new int[rowIndexes.length][];
        for (int i = 0; i < rowIndexes.length; i++) {
            r[i] = a[rowIndexes[i]].clone();
        }
        return r;
    }

    static int[][] multiply(int[][] a, int[][] b) {
        int inner = b.length;
        int cols = b[0].length;
        int[][] p = new int[a.length][cols];
        for (int i = 0; i < a.length; i++) {
            for (int k = 0; k < inner; k++) {
                int x = a[i][k];
                if (x == 0) {
                    continue;
                }
                for (int j = 0; j < cols; j++) {
                    p[i][j] ^= Gf256.mul(x, b[k][j]);
                }
            }
        }
        return p;
    }

    /** Gauss-Jordan inversion of a square matrix; throws if it is singular. */
    static int[][] invert(int[][] matrix) {
        int size = matrix.length;
        int[][] a = new int[size][];
        int[][] inv = new int[size][size];
        for (int i = 0; i < size; i++) {
            if (matrix[i].length != size) {
                throw new IllegalArgumentException("not a square matrix");
            }
            a[i] = matrix[i].clone();
            inv[i][i] = 1;
        }
        for (int col = 0; col < size; col++) {
            int pivot = col;
            while (pivot < size && a[pivot][col] == 0) {
                pivot++;
            }
            if (pivot == size) {
                throw new ArithmeticException("singular matrix");
            }
            swap(a, col, pivot);
            swap(inv, col, pivot);
            int scale = Gf256.inverse(a[col][col]);
            scaleRow(a[col], scale);
            scaleRow(inv[col], scale);
            for (int row = 0; row < size; row++) {
                int factor = a[row][col];
                if (row != col && factor != 0) {
                    addScaledRow(a[row], a[col], factor);
                    addScaledRow(inv[row], inv[col], factor);
                }
            }
        }
        return inv;
    }

    private static void swap(int[][] a, int i, int j) {
        int[] t = a[i];
        a[i] = a[j];
        a[j] = t;
    }

    private static void scaleRow(int[] row, int factor) {
        for (int j = 0; j < row.length; j++) {
            row[j] = Gf256.mul(row[j], factor);
        }
    }

    private static void addScaledRow(int[] target, int[] source, int factor) {
        for (int j = 0; j < target.length; j++) {
            target[j] ^= Gf256.mul(source[j], factor);
        }
    }
}
