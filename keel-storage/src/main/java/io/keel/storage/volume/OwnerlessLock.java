package io.keel.storage.volume;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * A read/write lock that belongs to no thread, so a write started on one thread can give its
 * shared hold back on the thread that sees its last replica answer (ADR 0013, "writes started
 * inline"). It is a fair semaphore: shared holders take one permit, the exclusive holder all of
 * them, and nobody overtakes a waiter, so a steady stream of writes cannot keep a repair or a
 * snapshot out ({@link java.util.concurrent.locks.StampedLock} lets readers overtake a waiting
 * writer). Not reentrant: nothing that holds it takes it again.
 */
final class OwnerlessLock {
    private static final int ALL = Integer.MAX_VALUE;

    private final Semaphore permits = new Semaphore(ALL, true);
    private final Lock shared = new View(1);
    private final Lock exclusive = new View(ALL);

    void lockShared() {
        permits.acquireUninterruptibly();
    }

    /** Takes the shared side if that needs no waiting (nobody holds or waits for the exclusive side). */
    boolean tryLockShared() {
        try {
            // The timed form honours fairness; the untimed tryAcquire would overtake waiters.
            return permits.tryAcquire(1, 0, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    void unlockShared() {
        permits.release();
    }

    /** The shared side as a {@link Lock}; its unlock may run on any thread. */
    Lock shared() {
        return shared;
    }

    Lock exclusive() {
        return exclusive;
    }

    private final class View implements Lock {
        private final int n;

        View(int n) {
            this.n = n;
        }

        @Override
        public void lock() {
            permits.acquireUninterruptibly(n);
        }

        @Override
        public void lockInterruptibly() throws InterruptedException {
            permits.acquire(n);
        }

        @Override
        public boolean tryLock() {
            try {
                return permits.tryAcquire(n, 0, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        @Override
        public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
            return permits.tryAcquire(n, time, unit);
        }

        @Override
        public void unlock() {
            permits.release(n);
        }

        @Override
        public Condition newCondition() {
            throw new UnsupportedOperationException("no conditions");
        }
    }
}
