package io.keel.s3store;

import io.keel.s3.error.S3ErrorCode;
import io.keel.s3.error.S3Exception;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * The compare-and-set loop: read, build one conditional batch, commit; when a condition failed
 * (someone else changed what we read) read again. Bounded, so a key that is hammered answers
 * SlowDown rather than holding a request forever.
 */
final class Attempts {
    static final int MAX = 64;

    @FunctionalInterface
    interface Attempt<T> {
        /**
         * The result, or empty when the commit lost a race and the attempt must be repeated.
         *
         * @param attempt 0 for the first try; later tries may read what the first one assumed
         */
        Optional<T> once(int attempt) throws S3Exception;
    }

    private Attempts() {
    }

    static <T> T retry(Attempt<T> attempt) throws S3Exception {
        for (int i = 0; i < MAX; i++) {
            Optional<T> done = attempt.once(i);
            if (done.isPresent()) {
                return done.get();
            }
            // Jittered backoff so writers that collided do not collide again in lock step.
            long cap = Math.min(2_000_000L, 20_000L << Math.min(i, 7));
            LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(cap));
        }
        throw new S3Exception(S3ErrorCode.SLOW_DOWN, "Too many concurrent changes to this key; retry");
    }
}
