package io.keel.ec;

import static io.keel.ec.Stripes.SEED;
import static io.keel.ec.Stripes.assertSameBytes;
import static io.keel.ec.Stripes.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReedSolomonTest {
    private static final int[][] CODES = {
            {1, 2}, {3, 1}, {2, 2}, {3, 2}, {4, 2}, {5, 2}, {7, 2}, {8, 3}, {10, 4}, {17, 3}, {1, 0}, {6, 0}, {12, 12}, {1, 31},
    };
    private static final int[] LENGTHS = {1, 15, 64, 4097};

    @Test
    void anyLossOfUpToNFragmentsIsRebuiltExactlyFromByteBuffers() {
        Random random = new Random(SEED);
        for (Kernel kernel : Stripes.kernels()) {
            for (int[] code : CODES) {
                ReedSolomon rs = ReedSolomon.of(code[0], code[1], kernel);
                for (int length : LENGTHS) {
                    byte[][] data = Stripes.randomData(random, rs.dataCount(), length);
                    byte[][] expectedParity = Stripes.referenceParity(rs, data);
                    ByteBuffer[] dataBuffers = Arrays.stream(data).map(d -> Stripes.buffer(random, d)).toArray(ByteBuffer[]::new);
                    ByteBuffer[] parityBuffers = new ByteBuffer[rs.parityCount()];
                    for (int p = 0; p < parityBuffers.length; p++) {
                        parityBuffers[p] = Stripes.emptyLike(random, length);
                    }
                    rs.encode(dataBuffers, parityBuffers);
                    for (int p = 0; p < parityBuffers.length; p++) {
                        assertSameBytes(expectedParity[p], bytes(parityBuffers[p]), rs + " parity " + p + ", length " + length);
                    }
                    byte[][] all = concat(data, expectedParity);
                    for (int round = 0; round < 6; round++) {
                        int[] lost = randomLoss(random, rs.fragmentCount(), random.nextInt(rs.parityCount() + 1));
                        ByteBuffer[] fragments = new ByteBuffer[rs.fragmentCount()];
                        ByteBuffer[] recovered = new ByteBuffer[rs.fragmentCount()];
                        for (int i = 0; i < fragments.length; i++) {
                            fragments[i] = Stripes.buffer(random, all[i]);
                        }
                        for (int i : lost) {
                            fragments[i] = null;
                            recovered[i] = Stripes.emptyLike(random, length);
                        }
                        rs.decode(fragments, recovered);
                        for (int i : lost) {
                            assertSameBytes(all[i], bytes(recovered[i]),
                                    rs + " fragment " + i + " of lost " + Arrays.toString(lost) + ", length " + length);
                        }
                    }
                }
            }
        }
    }

    @Test
    void byteArrayApiEncodesAndRebuildsAtAnOffset() {
        Random random = new Random(SEED + 1);
        for (Kernel kernel : Stripes.kernels()) {
            for (int[] code : CODES) {
                ReedSolomon rs = ReedSolomon.of(code[0], code[1], kernel);
                int length = 1 + random.nextInt(3000);
                int offset = random.nextInt(100);
                byte[][] data = Stripes.randomData(random, rs.dataCount(), length);
                byte[][] stored = new byte[rs.fragmentCount()][offset + length + 9];
                for (int i = 0; i < rs.dataCount(); i++) {
                    System.arraycopy(data[i], 0, stored[i], offset, length);
                }
                byte[][] parity = Arrays.copyOfRange(stored, rs.dataCount(), rs.fragmentCount());
                rs.encode(Arrays.copyOf(stored, rs.dataCount()), parity, offset, length);
                byte[][] expected = concat(data, Stripes.referenceParity(rs, data));
                int[] lost = randomLoss(random, rs.fragmentCount(), rs.parityCount());
                boolean[] present = new boolean[rs.fragmentCount()];
                Arrays.fill(present, true);
                for (int i : lost) {
                    present[i] = false;
                    random.nextBytes(stored[i]);
                }
                byte[] guard = stored[0].clone();
                rs.decode(stored, present, offset, length);
                for (int i = 0; i < rs.fragmentCount(); i++) {
                    assertSameBytes(expected[i], Arrays.copyOfRange(stored[i], offset, offset + length),
                            rs + " fragment " + i + " of lost " + Arrays.toString(lost) + ", offset " + offset + ", length " + length);
                }
                if (present[0]) {
                    assertSameBytes(guard, stored[0], rs + " survivor 0 must not change outside the range");
                }
            }
        }
    }

    @Test
    void everyLossPatternOfSmallCodesIsRebuilt() {
        Random random = new Random(SEED + 2);
        int patterns = 0;
        for (Kernel kernel : Stripes.kernels()) {
            for (int total = 2; total <= 8; total++) {
                for (int m = 1; m < total; m++) {
                    ReedSolomon rs = ReedSolomon.of(m, total - m, kernel);
                    // 131 bytes: two full 64-byte vectors (or more of narrower ones) and a scalar tail.
                    byte[][] data = Stripes.randomData(random, m, 131);
                    byte[][] all = concat(data, Stripes.referenceParity(rs, data));
                    for (int lostCount = 1; lostCount <= rs.parityCount(); lostCount++) {
                        for (int[] lost : GeneratorTest.subsets(total, lostCount)) {
                            ByteBuffer[] fragments = new ByteBuffer[total];
                            for (int i = 0; i < total; i++) {
                                fragments[i] = ByteBuffer.wrap(all[i]);
                            }
                            for (int i : lost) {
                                fragments[i] = null;
                            }
                            ByteBuffer[] rebuilt = rs.decode(fragments);
                            for (int i = 0; i < total; i++) {
                                assertSameBytes(all[i], bytes(rebuilt[i]), rs + " fragment " + i + " of lost " + Arrays.toString(lost));
                            }
                            patterns++;
                        }
                    }
                }
            }
        }
        assertThat(patterns).isGreaterThan(300);
    }

    @Test
    void repairsStayExactPastTheRepairPlanCache() {
        // Random loss patterns, far more distinct ones than the codec caches (256).
        Random random = new Random(SEED + 5);
        ReedSolomon rs = ReedSolomon.of(12, 12);
        for (int round = 0; round < 600; round++) {
            int[] lost = randomLoss(random, 24, 1 + random.nextInt(12));
            byte[][] data = Stripes.randomData(random, 12, 33);
            byte[][] all = concat(data, Stripes.referenceParity(rs, data));
            boolean[] present = new boolean[24];
            Arrays.fill(present, true);
            byte[][] stored = Arrays.stream(all).map(byte[]::clone).toArray(byte[][]::new);
            for (int i : lost) {
                present[i] = false;
                Arrays.fill(stored[i], (byte) 0x5A);
            }
            rs.decode(stored, present, 0, 33);
            for (int i : lost) {
                assertSameBytes(all[i], stored[i], rs + " fragment " + i + " of lost " + Arrays.toString(lost) + ", round " + round);
            }
        }
    }

    @Test
    void vectorAndScalarKernelsWriteIdenticalParity() {
        assumeTrue(Kernel.vector().isPresent(), "no Vector API on this JVM");
        Random random = new Random(SEED + 3);
        for (int round = 0; round < 60; round++) {
            int m = 1 + random.nextInt(ReedSolomon.MAX_FRAGMENTS);
            int n = random.nextInt(ReedSolomon.MAX_FRAGMENTS - m + 1);
            int length = round < 10 ? round : random.nextInt(5000);
            ReedSolomon vector = ReedSolomon.of(m, n, Kernel.vector().orElseThrow());
            ReedSolomon scalar = ReedSolomon.of(m, n, Kernel.scalar());
            byte[][] data = Stripes.randomData(random, m, length);
            byte[][] p1 = new byte[n][length];
            byte[][] p2 = new byte[n][length];
            vector.encode(data, p1, 0, length);
            scalar.encode(data, p2, 0, length);
            for (int p = 0; p < n; p++) {
                assertSameBytes(p2[p], p1[p], m + "+" + n + " parity " + p + ", length " + length + ", vector vs scalar");
            }
        }
    }

    @Test
    void everyOutputGroupingAndTailShapeMatchesTheReference() {
        // The vector kernel splits outputs into groups of 1-3 and lengths into double vectors, one
        // vector and bytes: N = 1..9 and lengths around multiples of 64 reach every combination.
        Random random = new Random(SEED + 4);
        for (Kernel kernel : Stripes.kernels()) {
            for (int n = 1; n <= 9; n++) {
                ReedSolomon rs = ReedSolomon.of(5, n, kernel);
                for (int length : new int[] {0, 16, 63, 64, 127, 128, 191, 192, 453, 1024}) {
                    byte[][] data = Stripes.randomData(random, 5, length);
                    byte[][] expected = Stripes.referenceParity(rs, data);
                    byte[][] parity = new byte[n][length];
                    rs.encode(data, parity, 0, length);
                    for (int p = 0; p < n; p++) {
                        assertSameBytes(expected[p], parity[p], rs + " parity " + p + ", length " + length);
                    }
                }
            }
        }
    }

    @Test
    void bestKernelIsTheVectorOneWhenTheModuleIsPresent() {
        assertThat(Kernel.best()).isEqualTo(Kernel.vector().orElse(Kernel.scalar()));
        assertThat(ReedSolomon.of(4, 2).toString()).startsWith("ReedSolomon[4+2, ");
        Kernel.vector().ifPresent(k -> assertThat(k.name()).matches("vector-\\d+"));
    }

    @Test
    void thePropertyForcesAKernelAndRejectsUnknownNames() {
        String before = System.getProperty(Kernel.PROPERTY);
        try {
            System.setProperty(Kernel.PROPERTY, "scalar");
            assertThat(ReedSolomon.of(3, 2).kernel()).isEqualTo(Kernel.scalar());
            System.setProperty(Kernel.PROPERTY, "simd");
            assertThatThrownBy(Kernel::best)
                    .hasMessage("keel.ec.kernel must be 'scalar' or 'vector', not 'simd'");
        } finally {
            if (before == null) {
                System.clearProperty(Kernel.PROPERTY);
            } else {
                System.setProperty(Kernel.PROPERTY, before);
            }
        }
    }

    @Test
    void oneCodecServesManyThreadsAtOnce() throws Exception {
        ReedSolomon rs = ReedSolomon.of(6, 3);
        Thread[] threads = new Thread[4];
        Throwable[] failures = new Throwable[threads.length];
        for (int t = 0; t < threads.length; t++) {
            int id = t;
            threads[t] = Thread.ofPlatform().start(() -> {
                try {
                    Random random = new Random(SEED + 10 + id);
                    for (int round = 0; round < 40; round++) {
                        byte[][] data = Stripes.randomData(random, 6, 1000 + round);
                        byte[][] all = concat(data, new byte[3][1000 + round]);
                        rs.encode(Arrays.copyOf(all, 6), Arrays.copyOfRange(all, 6, 9), 0, 1000 + round);
                        byte[][] expected = Arrays.stream(all).map(byte[]::clone).toArray(byte[][]::new);
                        boolean[] present = {false, true, true, false, true, true, true, false, true};
                        for (int i = 0; i < 9; i++) {
                            if (!present[i]) {
                                Arrays.fill(all[i], (byte) 0);
                            }
                        }
                        rs.decode(all, present, 0, 1000 + round);
                        for (int i = 0; i < 9; i++) {
                            assertSameBytes(expected[i], all[i], "thread " + id + " fragment " + i);
                        }
                    }
                } catch (Throwable e) {
                    failures[id] = e;
                }
            });
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(failures).containsOnlyNulls();
    }

    static byte[][] concat(byte[][] a, byte[][] b) {
        byte[][] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    static int[] randomLoss(Random random, int total, int count) {
        int[] order = random.ints(0, total).distinct().limit(count).toArray();
        Arrays.sort(order);
        return order;
    }
}
