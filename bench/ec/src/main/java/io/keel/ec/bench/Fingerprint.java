package io.keel.ec.bench;

import io.keel.ec.ReedSolomon;

/**
 * Parity fingerprints of fixed data, the counterpart of {@code isal_bench --fingerprint}:
 * ec-bench.sh compares the two before timing anything, so the two sides are known to compute the
 * same code (same Cauchy generator, same field) and the comparison is like for like.
 */
public final class Fingerprint {
    private Fingerprint() {}

    public static void main(String[] args) {
        int[][] codes = {{1, 1}, {4, 2}, {5, 3}, {8, 3}, {10, 4}, {17, 3}, {12, 12}, {1, 31}};
        int length = 1000;
        for (int[] code : codes) {
            int m = code[0];
            int n = code[1];
            byte[][] data = new byte[m][length];
            byte[][] parity = new byte[n][length];
            for (int i = 0; i < m; i++) {
                for (int b = 0; b < length; b++) {
                    data[i][b] = (byte) (31 * i + 7 * b + b / 8);
                }
            }
            ReedSolomon.of(m, n).encode(data, parity, 0, length);
            long h = 0xcbf29ce484222325L;
            for (byte[] p : parity) {
                for (byte x : p) {
                    h = (h ^ (x & 0xFF)) * 0x100000001b3L;
                }
            }
            System.out.printf("%d+%d %016x%n", m, n, h);
        }
    }
}
