package io.keel.ec;

import static org.assertj.core.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Test helpers: random stripes, buffers in every shape the API accepts, byte comparison. */
final class Stripes {
    /** One seed per test run, printed by every failure; -Dkeel.ec.seed=... replays a run. */
    static final long SEED = Long.getLong("keel.ec.seed", System.nanoTime());

    private Stripes() {}

    static List<Kernel> kernels() {
        List<Kernel> kernels = new ArrayList<>();
        kernels.add(Kernel.scalar());
        Kernel.vector().ifPresent(kernels::add);
        return kernels;
    }

    static byte[][] randomData(Random random, int count, int length) {
        byte[][] data = new byte[count][length];
        for (byte[] d : data) {
            random.nextBytes(d);
        }
        return data;
    }

    /**
     * A buffer whose remaining bytes are {@code bytes}, randomly heap or direct, with random bytes
     * before its position and after its limit so that the codec must respect both.
     */
    static ByteBuffer buffer(Random random, byte[] bytes) {
        int before = random.nextInt(3) * 7;
        int after = random.nextInt(3) * 5;
        ByteBuffer b = random.nextBoolean()
                ? ByteBuffer.allocate(before + bytes.length + after)
                : ByteBuffer.allocateDirect(before + bytes.length + after);
        byte[] noise = new byte[before + after];
        random.nextBytes(noise);
        b.put(noise, 0, before).put(bytes).put(noise, before, after);
        return b.position(before).limit(before + bytes.length);
    }

    static ByteBuffer emptyLike(Random random, int length) {
        return buffer(random, new byte[length]);
    }

    static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    static void assertSameBytes(byte[] expected, byte[] actual, String context) {
        if (expected.length != actual.length) {
            fail("%s (seed %d): expected %d bytes, got %d", context, SEED, expected.length, actual.length);
        }
        int at = Arrays.mismatch(expected, actual);
        if (at >= 0) {
            fail("%s (seed %d, rerun with -Dkeel.ec.seed=%d): first difference at byte %d of %d: expected %d, got %d",
                    context, SEED, SEED, at, expected.length, expected[at], actual[at]);
        }
    }

    /** Parity computed byte by byte from the generator, independent of both kernels. */
    static byte[][] referenceParity(ReedSolomon rs, byte[][] data) {
        int length = data.length == 0 ? 0 : data[0].length;
        byte[][] parity = new byte[rs.parityCount()][length];
        for (int p = 0; p < rs.parityCount(); p++) {
            for (int j = 0; j < rs.dataCount(); j++) {
                int c = rs.coefficient(rs.dataCount() + p, j);
                for (int i = 0; i < length; i++) {
                    parity[p][i] ^= (byte) Gf256.slowMul(c, data[j][i]);
                }
            }
        }
        return parity;
    }
}
