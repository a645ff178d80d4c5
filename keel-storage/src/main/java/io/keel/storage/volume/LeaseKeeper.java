package io.keel.storage.volume;

import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a writable handle's lease alive and remembers when it was fenced. Once fenced a handle
 * never writes again: a newer writer may already have changed the chunks.
 */
final class LeaseKeeper {
    private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

    private final VolumeCatalog catalog;
    private final VolumeClientOptions options;
    private final Clock clock;
    private volatile Lease lease;
    private volatile String fencedBecause;
    private ScheduledFuture<?> renewal;

    LeaseKeeper(VolumeCatalog catalog, Lease lease, VolumeClientOptions options, Clock clock) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.lease = Objects.requireNonNull(lease, "lease");
        this.options = Objects.requireNonNull(options, "options");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    synchronized void start(ScheduledExecutorService scheduler) {
        long every = options.renewInterval().toNanos();
        renewal = scheduler.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.NANOSECONDS);
    }

    Lease lease() {
        return lease;
    }

    long epoch() {
        return lease.epoch();
    }

    boolean fenced() {
        return fencedBecause != null;
    }

    /** @throws LeaseLostException if this writer may no longer write */
    void check() {
        String why = fencedBecause;
        if (why == null && clock.instant().isAfter(lease.expiresAt())) {
            fence("the lease expired at " + lease.expiresAt() + " without being renewed");
            why = fencedBecause;
        }
        if (why != null) {
            throw new LeaseLostException(lease.volumeId(), lease.epoch(), why);
        }
    }

    void fence(String reason) {
        synchronized (this) {
            if (fencedBecause != null) {
                return;
            }
            fencedBecause = reason;
            if (renewal != null) {
                renewal.cancel(false);
            }
        }
        log.warn("volume {} writer {} (epoch {}) is fenced and refuses further writes: {}", lease.volumeId(),
                lease.holder(), lease.epoch(), reason);
    }

    /** Runs a catalog change, fencing this writer if the catalog says the lease is gone. */
    <T> T catalog(Supplier<T> change) {
        check();
        try {
            return change.get();
        } catch (LeaseLostException e) {
            fence(e.getMessage());
            throw e;
        }
    }

    void renew() {
        if (fenced()) {
            return;
        }
        try {
            lease = catalog.renew(lease, options.leaseTtl());
        } catch (LeaseLostException e) {
            fence(e.getMessage());
        } catch (RuntimeException e) {
            if (clock.instant().isAfter(lease.expiresAt())) {
                fence("renewal failed until the lease expired: " + e.getMessage());
            } else {
                log.warn("renewing the lease of volume {} failed, will retry: {}", lease.volumeId(), e.toString());
            }
        }
    }

    /** Stops renewing and gives the lease back. */
    void release() {
        synchronized (this) {
            if (renewal != null) {
                renewal.cancel(false);
            }
        }
        if (!fenced()) {
            try {
                catalog.release(lease);
            } catch (RuntimeException e) {
                log.warn("releasing the lease of volume {} failed (it will expire): {}", lease.volumeId(), e.toString());
            }
        }
        fencedBecause = fencedBecause == null ? "the handle was closed" : fencedBecause;
    }
}
