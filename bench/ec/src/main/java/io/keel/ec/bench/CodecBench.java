package io.keel.ec.bench;

import io.keel.ec.Kernel;
import io.keel.ec.ReedSolomon;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One core encoding and repairing 1 MiB stripes. A stripe is 1 MiB of data cut into M fragments
 * of floor(1 MiB / M / 64) * 64 bytes each (262144, 131072 and 104832 bytes for 4+2, 8+3 and
 * 10+4) plus N parity fragments of that size; isal_bench.c uses the same layout. One operation is
 * one stripe: encode writes its N parity fragments, decode rebuilds data fragments 0 and 1 from the
 * other M survivors (one loss pattern throughout: the codec inverts its repair matrix once and
 * caches the plan, as it would repairing the many stripes of a failed disk).
 * bench/ec-bench.sh turns operations per second into GB/s of data (M × fragment bytes, 10^9).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx1g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class CodecBench {
    public static final int STRIPE = 1 << 20;

    @Param({"4+2", "8+3", "10+4"})
    public String code;

    /** "best" (what a node uses), or "scalar" to measure the fallback. */
    @Param({"best"})
    public String kernel;

    private ReedSolomon rs;
    private ByteBuffer[] data;
    private ByteBuffer[] parity;
    private ByteBuffer[] survivors;
    private ByteBuffer[] recovered;

    public static int fragmentBytes(int m) {
        return STRIPE / m / 64 * 64;
    }

    @Setup(Level.Trial)
    public void setUp() {
        String[] mn = code.split("\\+");
        int m = Integer.parseInt(mn[0]);
        int n = Integer.parseInt(mn[1]);
        rs = ReedSolomon.of(m, n, kernel.equals("scalar") ? Kernel.scalar() : Kernel.best());
        int length = fragmentBytes(m);
        Random random = new Random(42);
        data = new ByteBuffer[m];
        parity = new ByteBuffer[n];
        for (int i = 0; i < m; i++) {
            byte[] bytes = new byte[length];
            random.nextBytes(bytes);
            data[i] = ByteBuffer.allocateDirect(length).put(bytes).flip();
        }
        for (int i = 0; i < n; i++) {
            parity[i] = ByteBuffer.allocateDirect(length);
        }
        rs.encode(data, parity);
        survivors = new ByteBuffer[m + n];
        recovered = new ByteBuffer[m + n];
        for (int i = 0; i < m + n; i++) {
            survivors[i] = i < m ? data[i] : parity[i - m];
        }
        for (int lost = 0; lost < 2; lost++) {
            survivors[lost] = null;
            recovered[lost] = ByteBuffer.allocateDirect(length);
        }
        rs.decode(survivors, recovered);
        for (int lost = 0; lost < 2; lost++) {
            if (!recovered[lost].equals(data[lost])) {
                throw new IllegalStateException(rs + " did not rebuild fragment " + lost);
            }
        }
        System.out.println("kernel: " + rs.kernel().name());
    }

    @Benchmark
    public ByteBuffer[] encode() {
        rs.encode(data, parity);
        return parity;
    }

    @Benchmark
    public ByteBuffer[] decode() {
        rs.decode(survivors, recovered);
        return recovered;
    }
}
