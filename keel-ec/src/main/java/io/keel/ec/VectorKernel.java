package io.keel.ec;

import static jdk.incubator.vector.VectorOperators.LSHR;
import static jdk.incubator.vector.VectorOperators.XOR;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.Optional;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API kernel, split-nibble table lookup (the technique of ISA-L and of Plank, Greenan
 * and Miller, "Screaming fast Galois field arithmetic using Intel SIMD instructions"): since
 * multiplication by a constant c is linear over XOR, c·x = c·(x & 0x0F) ^ c·(x & 0xF0), and each
 * half has only 16 values. Two 16-entry tables per coefficient, replicated to the vector width,
 * turn one byte shuffle each (pshufb / vpermb / tbl) into 16-64 multiplications.
 *
 * <p>Each pass over the inputs produces up to {@value #GROUP} outputs at once: every input vector
 * is loaded once and multiplied into the accumulators of all of them, which stay in registers, so
 * an 8+3 encode reads the data once rather than three times. Not four: a four-output loop body
 * (two vectors wide) outgrows C2's inlining node budget, some Vector API calls are then left as
 * calls, their vectors are boxed and the loop runs several times slower; four outputs are two
 * passes of two.
 */
final class VectorKernel implements Kernel {
    static final int GROUP = 3;
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    // Static final so that C2 sees a constant shape and compiles the loops to SIMD instructions;
    // a species held in an instance field leaves vectors boxed and runs far slower than scalar code.
    private static final VectorSpecies<Byte> SPECIES = ByteVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();

    private static final Optional<Kernel> AVAILABLE =
            LANES >= 16 ? Optional.of(new VectorKernel()) : Optional.empty();

    private VectorKernel() {}

    static Optional<Kernel> create() {
        return AVAILABLE;
    }

    @Override
    public String name() {
        return "vector-" + SPECIES.vectorBitSize();
    }

    @Override
    public Plan plan(int[][] matrix) {
        int rows = matrix.length;
        int columns = rows == 0 ? 0 : matrix[0].length;
        byte[] tables = new byte[rows * columns * 2 * LANES];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                int base = tableOffset(r, c, columns);
                for (int lane = 0; lane < LANES; lane++) {
                    int nibble = lane & 0x0F;
                    tables[base + lane] = (byte) Gf256.mul(matrix[r][c], nibble);
                    tables[base + LANES + lane] = (byte) Gf256.mul(matrix[r][c], nibble << 4);
                }
            }
        }
        return new Plan(this, rows, columns, Plan.flatten(matrix), tables);
    }

    private static int tableOffset(int row, int column, int columns) {
        return (row * columns + column) * 2 * LANES;
    }

    @Override
    public void apply(Plan plan, MemorySegment[] inputs, MemorySegment[] outputs, long length) {
        plan.checkFor(this);
        long bound = length - length % (2 * LANES);
        int rows = plan.rows();
        for (int r = 0; r < rows; ) {
            // Four left are two pairs rather than a triple and a single, which would read the inputs
            // one vector at a time for the last row.
            int group = rows - r == 4 ? 2 : Math.min(GROUP, rows - r);
            switch (group) {
                case 3 -> three(plan, r, inputs, outputs, bound);
                case 2 -> two(plan, r, inputs, outputs, bound);
                default -> one(plan, r, inputs, outputs, 0, bound);
            }
            r += group;
        }
        // At most one whole vector and a few bytes remain: row by row, then byte by byte.
        long vectors = length - length % LANES;
        for (int r = 0; r < rows && bound < vectors; r++) {
            one(plan, r, inputs, outputs, bound, vectors);
        }
        if (vectors < length) {
            ScalarKernel.applyRange(plan, inputs, outputs, vectors, length);
        }
    }

    private static void store(ByteVector first, ByteVector second, MemorySegment out, long pos) {
        first.intoMemorySegment(out, pos, ORDER);
        second.intoMemorySegment(out, pos + LANES, ORDER);
    }

    /**
     * Indexes whose low four bits are the high nibble of each byte of x. The bits above them are
     * garbage and need no mask: selectFrom wraps an index to its low log2(VLEN) bits, and the
     * tables repeat every 16 lanes, so only the low four bits choose the entry (the same is why
     * the low nibble needs no mask either: the byte itself is its index). Shifting 32-bit lanes is
     * one instruction; x86 has no byte shift, and a byte-lane LSHR widens and narrows.
     */
    private static ByteVector highNibbles(ByteVector x) {
        return x.reinterpretAsInts().lanewise(LSHR, 4).reinterpretAsBytes();
    }

    private static ByteVector load(MemorySegment segment, long pos) {
        return ByteVector.fromMemorySegment(SPECIES, segment, pos, ORDER);
    }

    // The group methods below are one loop specialised by group size: accumulators must be locals
    // (an array of vectors would be boxed). Each step handles two vectors per output so that every
    // table vector loaded serves twice and the two dependency chains overlap.

    private static void three(Plan plan, int r, MemorySegment[] in, MemorySegment[] out, long bound) {
        byte[] t = plan.tables();
        int columns = plan.columns();
        int stride = columns * 2 * LANES;
        int base = tableOffset(r, 0, columns);
        MemorySegment o0 = out[r], o1 = out[r + 1], o2 = out[r + 2];
        for (long pos = 0; pos < bound; pos += 2 * LANES) {
            ByteVector a0 = ByteVector.zero(SPECIES), a1 = a0, a2 = a0, b0 = a0, b1 = a0, b2 = a0;
            for (int c = 0, off = base; c < columns; c++, off += 2 * LANES) {
                MemorySegment s = in[c];
                ByteVector x = load(s, pos), y = load(s, pos + LANES);
                ByteVector xh = highNibbles(x), yh = highNibbles(y);
                ByteVector tl = ByteVector.fromArray(SPECIES, t, off), th = ByteVector.fromArray(SPECIES, t, off + LANES);
                a0 = a0.lanewise(XOR, x.selectFrom(tl)).lanewise(XOR, xh.selectFrom(th));
                b0 = b0.lanewise(XOR, y.selectFrom(tl)).lanewise(XOR, yh.selectFrom(th));
                tl = ByteVector.fromArray(SPECIES, t, off + stride);
                th = ByteVector.fromArray(SPECIES, t, off + stride + LANES);
                a1 = a1.lanewise(XOR, x.selectFrom(tl)).lanewise(XOR, xh.selectFrom(th));
                b1 = b1.lanewise(XOR, y.selectFrom(tl)).lanewise(XOR, yh.selectFrom(th));
                tl = ByteVector.fromArray(SPECIES, t, off + 2 * stride);
                th = ByteVector.fromArray(SPECIES, t, off + 2 * stride + LANES);
                a2 = a2.lanewise(XOR, x.selectFrom(tl)).lanewise(XOR, xh.selectFrom(th));
                b2 = b2.lanewise(XOR, y.selectFrom(tl)).lanewise(XOR, yh.selectFrom(th));
            }
            store(a0, b0, o0, pos);
            store(a1, b1, o1, pos);
            store(a2, b2, o2, pos);
        }
    }

    private static void two(Plan plan, int r, MemorySegment[] in, MemorySegment[] out, long bound) {
        byte[] t = plan.tables();
        int columns = plan.columns();
        int stride = columns * 2 * LANES;
        int base = tableOffset(r, 0, columns);
        MemorySegment o0 = out[r], o1 = out[r + 1];
        for (long pos = 0; pos < bound; pos += 2 * LANES) {
            ByteVector a0 = ByteVector.zero(SPECIES), a1 = a0, b0 = a0, b1 = a0;
            for (int c = 0, off = base; c < columns; c++, off += 2 * LANES) {
                MemorySegment s = in[c];
                ByteVector x = load(s, pos), y = load(s, pos + LANES);
                ByteVector xh = highNibbles(x), yh = highNibbles(y);
                ByteVector tl = ByteVector.fromArray(SPECIES, t, off), th = ByteVector.fromArray(SPECIES, t, off + LANES);
                a0 = a0.lanewise(XOR, x.selectFrom(tl)).lanewise(XOR, xh.selectFrom(th));
                b0 = b0.lanewise(XOR, y.selectFrom(tl)).lanewise(XOR, yh.selectFrom(th));
                tl = ByteVector.fromArray(SPECIES, t, off + stride);
                th = ByteVector.fromArray(SPECIES, t, off + stride + LANES);
                a1 = a1.lanewise(XOR, x.selectFrom(tl)).lanewise(XOR, xh.selectFrom(th));
                b1 = b1.lanewise(XOR, y.selectFrom(tl)).lanewise(XOR, yh.selectFrom(th));
            }
            store(a0, b0, o0, pos);
            store(a1, b1, o1, pos);
        }
    }

    /** One output, one vector at a time: codes with a single parity, and the last vector of any. */
    private static void one(Plan plan, int r, MemorySegment[] in, MemorySegment[] out, long from, long to) {
        byte[] t = plan.tables();
        int columns = plan.columns();
        int base = tableOffset(r, 0, columns);
        MemorySegment o0 = out[r];
        for (long pos = from; pos < to; pos += LANES) {
            ByteVector a0 = ByteVector.zero(SPECIES);
            for (int c = 0, off = base; c < columns; c++, off += 2 * LANES) {
                ByteVector x = load(in[c], pos);
                a0 = a0.lanewise(XOR, x.selectFrom(ByteVector.fromArray(SPECIES, t, off))).lanewise(XOR, highNibbles(x).selectFrom(ByteVector.fromArray(SPECIES, t, off + LANES)));
            }
            a0.intoMemorySegment(o0, pos, ORDER);
        }
    }
}
