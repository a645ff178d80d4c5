package io.keel.ec;

import java.lang.foreign.MemorySegment;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The loop that multiplies fragments by a GF(2^8) matrix: outputs[r] = sum over c of
 * matrix[r][c] * inputs[c], byte by byte. Encoding runs it with the Cauchy rows, decoding with
 * the rows that rebuild the lost fragments from the survivors. Both implementations produce
 * identical bytes; which one a codec uses is chosen once, when it is built.
 */
public sealed interface Kernel permits ScalarKernel, VectorKernel {
    /** System property that forces a kernel ("scalar" or "vector") for every codec built after. */
    String PROPERTY = "keel.ec.kernel";

    /** Short name for logs and benchmark reports, e.g. "vector-512" or "scalar". */
    String name();

    /** Precomputes what {@link #apply} needs for one matrix (rows = outputs, columns = inputs). */
    Plan plan(int[][] matrix);

    /**
     * Writes every output (overwriting it) from the inputs; all segments hold at least
     * {@code length} bytes and outputs do not overlap inputs.
     */
    void apply(Plan plan, MemorySegment[] inputs, MemorySegment[] outputs, long length);

    /** The table-lookup kernel that works everywhere, on the JVM's plain bytecode. */
    static Kernel scalar() {
        return ScalarKernel.INSTANCE;
    }

    /**
     * The Vector API kernel, when this JVM can run it well: the jdk.incubator.vector module is in
     * the boot layer (--add-modules) and the preferred byte vector has at least 16 lanes, the width
     * of the 16-entry nibble tables (SSSE3, AVX2, AVX-512, NEON, SVE all qualify).
     */
    static Optional<Kernel> vector() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return Optional.empty();
        }
        try {
            return VectorKernel.create();
        } catch (LinkageError e) {
            return Optional.empty();
        }
    }

    /**
     * The kernel codecs use unless told otherwise: {@value #PROPERTY} when set, else the vector
     * kernel when {@link #vector()} offers it, else the scalar one.
     */
    static Kernel best() {
        String forced = System.getProperty(PROPERTY);
        if (forced != null) {
            return switch (forced.trim().toLowerCase(Locale.ROOT)) {
                case "scalar" -> scalar();
                case "vector" -> vector().orElseThrow(() -> new IllegalStateException(
                        PROPERTY + "=vector but the Vector API is unavailable: run with --add-modules jdk.incubator.vector"
                                + " on a CPU with 128-bit or wider SIMD"));
                default -> throw new IllegalStateException(PROPERTY + " must be 'scalar' or 'vector', not '" + forced + "'");
            };
        }
        return optimisingJit() ? vector().orElse(scalar()) : scalar();
    }

    /**
     * Whether this JVM compiles hot code with C2, which turns Vector API calls into SIMD
     * instructions. Without it (-XX:TieredStopAtLevel=1 to start fast, -Xint) the vector kernel
     * runs boxed, about a hundred times slower than the scalar one: 3 MB/s against 225 MB/s
     * encoding 3+2 on this project's CI machine. Unknown JVMs are assumed to have it.
     */
    static boolean optimisingJit() {
        try {
            var hotspot = java.lang.management.ManagementFactory.getPlatformMXBean(
                    com.sun.management.HotSpotDiagnosticMXBean.class);
            if (hotspot == null) {
                return true;
            }
            boolean compiles = Boolean.parseBoolean(hotspot.getVMOption("UseCompiler").getValue());
            boolean tiered = Boolean.parseBoolean(hotspot.getVMOption("TieredCompilation").getValue());
            int topLevel = Integer.parseInt(hotspot.getVMOption("TieredStopAtLevel").getValue());
            return compiles && (!tiered || topLevel >= 4);
        } catch (RuntimeException | LinkageError e) {
            return true;
        }
    }

    /** A matrix prepared by one kernel for its own use; coefficients are row-major bytes. */
    record Plan(Kernel kernel, int rows, int columns, byte[] coefficients, byte[] tables) {
        public Plan {
            Objects.requireNonNull(kernel, "kernel");
            Objects.requireNonNull(coefficients, "coefficients");
            Objects.requireNonNull(tables, "tables");
        }

        /** The vector kernel's tables are laid out for its own vector width: no other kernel can read them. */
        void checkFor(Kernel user) {
            if (kernel != user) {
                throw new IllegalArgumentException("a plan made by the " + kernel.name() + " kernel given to " + user.name());
            }
        }

        int coefficient(int row, int column) {
            return coefficients[row * columns + column] & 0xFF;
        }

        static byte[] flatten(int[][] matrix) {
            int columns = matrix.length == 0 ? 0 : matrix[0].length;
            byte[] flat = new byte[matrix.length * columns];
            for (int r = 0; r < matrix.length; r++) {
                for (int c = 0; c < columns; c++) {
                    flat[r * columns + c] = (byte) matrix[r][c];
                }
            }
            return flat;
        }
    }
}
