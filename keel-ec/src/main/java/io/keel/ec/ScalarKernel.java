package io.keel.ec;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * The portable kernel: one lookup in the 64 KiB product table per byte and coefficient. It works
 * a block at a time through byte[] copies of the segments, so the inner loop is a plain array
 * loop the JIT compiles well and every output block is finished while its inputs are in cache.
 */
final class ScalarKernel implements Kernel {
    static final ScalarKernel INSTANCE = new ScalarKernel();
    private static final int BLOCK = 4096;

    private ScalarKernel() {}

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public Plan plan(int[][] matrix) {
        int columns = matrix.length == 0 ? 0 : matrix[0].length;
        return new Plan(this, matrix.length, columns, Plan.flatten(matrix), new byte[0]);
    }

    @Override
    public void apply(Plan plan, MemorySegment[] inputs, MemorySegment[] outputs, long length) {
        plan.checkFor(this);
        applyRange(plan, inputs, outputs, 0, length);
    }

    /** Also the vector kernel's tail: bytes [from, to) of every fragment. */
    static void applyRange(Plan plan, MemorySegment[] inputs, MemorySegment[] outputs, long from, long to) {
        int rows = plan.rows();
        int columns = plan.columns();
        int block = (int) Math.min(BLOCK, Math.max(0, to - from));
        byte[][] in = new byte[columns][block];
        byte[] out = new byte[block];
        for (long pos = from; pos < to; pos += BLOCK) {
            int n = (int) Math.min(BLOCK, to - pos);
            for (int c = 0; c < columns; c++) {
                MemorySegment.copy(inputs[c], ValueLayout.JAVA_BYTE, pos, in[c], 0, n);
            }
            for (int r = 0; r < rows; r++) {
                Arrays.fill(out, 0, n, (byte) 0);
                for (int c = 0; c < columns; c++) {
                    multiplyAdd(plan.coefficient(r, c), in[c], out, n);
                }
                MemorySegment.copy(out, 0, outputs[r], ValueLayout.JAVA_BYTE, pos, n);
            }
        }
    }

    private static void multiplyAdd(int coefficient, byte[] in, byte[] out, int n) {
        if (coefficient == 0) {
            return;
        }
        if (coefficient == 1) {
            for (int i = 0; i < n; i++) {
                out[i] ^= in[i];
            }
            return;
        }
        int row = Gf256.productRowOffset(coefficient);
        for (int i = 0; i < n; i++) {
            out[i] ^= Gf256.product(row, in[i]);
        }
    }
}
