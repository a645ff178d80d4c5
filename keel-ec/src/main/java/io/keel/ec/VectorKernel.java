package io.keel.ec;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.Optional;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API kernel, split-nibble table lookup (the technique of ISA-L and of Plank, Greenan
 * and Miller, "Screaming fast Galois field arithmetic using Intel SIMD instructions"): since
 * multiplication by a constant c is linear over XOR, c·x = c·(x & 0x0F) ^ c·(x & 0xF0), and each
 * half has only 16 values. Two 16-entry tables per coefficient, replicated to the vector width,
 * turn one byte shuffle each (pshufb / vpermb / tbl) into 16-64 multiplications.
 *
 * <p>Each pass over the inputs produces up to {@value #GROUP} outputs at once: every input vector
 * is loaded once and multiplied into up to four accumulators that stay in registers, so a 10+4
 * encode reads the data once rather than four times.
 */
final class VectorKernel implements Kernel {
  static final int GROUP = 4;
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
    long bound = length - length % LANES;
    int rows = plan.rows();
    for (int r = 0; r < rows; r += GROUP) {
      switch (Math.min(GROUP, rows - r)) {
        case 4 -> four(plan, r, inputs, outputs, bound);
        case 3 -> three(plan, r, inputs, outputs, bound);
        case 2 -> two(plan, r, inputs, outputs, bound);
        default -> one(plan, r, inputs, outputs, bound);
      }
    }
    if (bound < length) {
      ScalarKernel.applyRange(plan, inputs, outputs, bound, length);
    }
  }

  /** The product of every byte of x with the coefficient whose tables start at offset. */
  private static ByteVector times(ByteVector low, ByteVector high, byte[] tables, int offset) {
    ByteVector lowProducts = low.selectFrom(ByteVector.fromArray(SPECIES, tables, offset));
    ByteVector highProducts = high.selectFrom(ByteVector.fromArray(SPECIES, tables, offset + LANES));
    return lowProducts.lanewise(VectorOperators.XOR, highProducts);
  }

  private static ByteVector load(MemorySegment segment, long pos) {
    return ByteVector.fromMemorySegment(SPECIES, segment, pos, ORDER);
  }

  // The four methods below are one loop specialised by group size: accumulators must be locals
  // (an array of vectors would be boxed and defeat the register allocation).

  private static void four(Plan plan, int r, MemorySegment[] in, MemorySegment[] out, long bound) {
    byte[] t = plan.tables();
    int columns = plan.columns();
    int stride = columns * 2 * LANES;
    int base = tableOffset(r, 0, columns);
    MemorySegment o0 = out[r], o1 = out[r + 1], o2 = out[r + 2], o3 = out[r + 3];
    for (long pos = 0; pos < bound; pos += LANES) {
      ByteVector a0 = ByteVector.zero(SPECIES), a1 = a0, a2 = a0, a3 = a0;
      for (int c = 0, off = base; c < columns; c++, off += 2 * LANES) {
        ByteVector x = load(in[c], pos);
        ByteVector low = x.and((byte) 0x0F);
        ByteVector high = x.lanewise(VectorOperators.LSHR, 4);
        a0 = a0.lanewise(VectorOperators.XOR, times(low, high, t, off));
        a1 = a1.lanewise(VectorOperators.XOR, times(low, high, t, off + stride));
        a2 = a2.lanewise(VectorOperators.XOR, times(low, high, t, off + 2 * stride));
        a3 = a3.lanewise(VectorOperators.XOR, times(low, high, t, off + 3 * stride));
      }
      a0.intoMemorySegment(o0, pos, ORDER);
      a1.intoMemorySegment(o1, pos, ORDER);
      a2.intoMemorySegment(o2, pos, ORDER);
      a3.intoMemorySegment(o3, pos, ORDER);
    }
  }

  private static void three(Plan plan, int r, MemorySegment[] in, MemorySegment[] out, long bound) {
    byte[] t = plan.tables();
    int columns = plan.columns();
    int stride = columns * 2 * LANES;
    int base = tableOffset(r, 0, columns);
    MemorySegment o0 = out[r], o1 = out[r + 1], o2 = out[r + 2];
    for (long pos = 0; pos < bound; pos += LANES) {
      ByteVector a0 = ByteVector.zero(SPECIES), a1 = a0, a2 = a0;
      for (int c = 0, off = base; c < columns; c++, off += 2 * LANES) {
        ByteVector x = load(in[c], pos);
        ByteVector low = x.and((byte) 0x0F);
        ByteVector high = x.lanewise(VectorOperators.LSHR, 4);
        a0 = a0.lanewise(VectorOperators.XOR, times(low, high, t, off));
        a1 = a1.lanewise(VectorOperators.XOR, times(low, high, t, off + stride));
        a2 = a2.lanewise(VectorOperators.XOR, times(low, high, t, off + 2 * stride));
      }
      a0.intoMemorySegment(o0, pos, ORDER);
      a1.intoMemorySegment(o1, pos, ORDER);
      a2.intoMemorySegment(o2, pos, ORDER);
    }
  }

  private static void two(Plan plan, int r, MemorySegment[] in, MemorySegment[] out, long bound) {
    byte[] t = plan.tables();
    int columns = plan.columns();
    int stride = columns * 2 * LANES;
    int base = tableOffset(r, 0, columns);
    MemorySegment o0 = out[r], o1 = out[r + 1];
    for (long pos = 0; pos < bound; pos += LANES) {
      ByteVector a0 = ByteVector.zero(SPECIES), a1 = a0;
      for (int c = 0, off = base; c < columns; c++, off += 2 * LANES) {
        ByteVector x = load(in[c], pos);
        ByteVector low = x.and((byte) 0x0F);
        ByteVector high = x.lanewise(VectorOperators.LSHR, 4);
        a0 = a0.lanewise(VectorOperators.XOR, times(low, high, t, off));
        a1 = a1.lanewise(VectorOperators.XOR, times(low, high, t, off + stride));
      }
      a0.intoMemorySegment(o0, pos, ORDER);
      a1.intoMemorySegment(o1, pos, ORDER);
    }
  }

  private static void one(Plan plan, int r, MemorySegment[] in, MemorySegment[] out, long bound) {
    byte[] t = plan.tables();
    int columns = plan.columns();
    int base = tableOffset(r, 0, columns);
    MemorySegment o0 = out[r];
    for (long pos = 0; pos < bound; pos += LANES) {
      ByteVector a0 = ByteVector.zero(SPECIES);
      for (int c = 0, off = base; c < columns; c++, off += 2 * LANES) {
        ByteVector x = load(in[c], pos);
        a0 = a0.lanewise(VectorOperators.XOR,
            times(x.and((byte) 0x0F), x.lanewise(VectorOperators.LSHR, 4), t, off));
      }
      a0.intoMemorySegment(o0, pos, ORDER);
    }
  }
}
