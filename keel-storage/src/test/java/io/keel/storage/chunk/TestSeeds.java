package io.keel.storage.chunk;

import java.nio.ByteBuffer;
import java.util.Random;

/** Seeds for randomised tests: fresh each run, or fixed with -Dkeel.test.seed=N to replay a failure. */
public final class TestSeeds {
    private TestSeeds() {}

    public static long seed() {
        String fixed = System.getProperty("keel.test.seed");
        return fixed != null ? Long.parseLong(fixed) : new Random().nextLong();
    }

    public static ByteBuffer randomBytes(Random rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return ByteBuffer.wrap(b);
    }
}
