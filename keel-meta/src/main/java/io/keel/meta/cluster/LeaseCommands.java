package io.keel.meta.cluster;

import io.keel.meta.cluster.ClusterCommand.AcquireLease;
import io.keel.meta.cluster.ClusterCommand.ReleaseLease;
import io.keel.meta.cluster.ClusterCommand.RenewLease;
import java.time.Instant;

/**
 * Write leases. Every grant takes a new, higher epoch, and a holder can only renew or release
 * the epoch it was granted: once another writer has taken over, the old one learns it at its
 * next renewal, and the chunk services already refuse its writes.
 */
final class LeaseCommands {
    static final long MIN_TTL_MILLIS = 1_000;
    static final long MAX_TTL_MILLIS = 600_000;

    private final ClusterCodec codec;

    LeaseCommands(ClusterCodec codec) {
        this.codec = codec;
    }

    Plan acquire(ClusterState state, AcquireLease c) {
        Checks.initialised(state);
        Volume v = VolumeCommands.volume(state, c.volumeId());
        Checks.valid(Names.validateId("lease holder", c.holder()));
        Instant at = Checks.required(c.at(), "time");
        checkTtl(c.ttlMillis());
        if (v.isSnapshot() && !c.background()) {
            throw Rejection.invalid(Names.quote(v.id()) + " is a snapshot (named " + Names.quote(v.name())
                    + ") and cannot be opened for writing; only healing takes a (background) lease on it");
        }
        VolumeLease held = v.lease();
        // A holder may take its own lease again (a reopen after a crash), but healing never takes
        // over a live writer, not even on the writer's own node: its newer epoch would fence the
        // writer out of its own volume.
        boolean sameHolderReopens = held != null && held.holder().equals(c.holder())
                && !(c.background() && !held.background());
        if (held != null && held.liveAt(at) && !sameHolderReopens
                && !(held.background() && !c.background())) {
            throw Rejection.conflict("volume " + Names.quote(v.name()) + " is open for writing by "
                    + Names.quote(held.holder()) + " (epoch " + held.epoch() + ", lease expires " + held.expiresAt()
                    + ")");
        }
        long epoch = v.epoch() + 1;
        VolumeLease lease = new VolumeLease(c.holder(), epoch, c.background(), at.plusMillis(c.ttlMillis()));
        // A writer's open makes its node the volume's home; healing and rebalancing (background) run on
        // whichever node gets to it and say nothing about where the volume is used.
        Volume granted = c.background() ? v.withLease(lease, epoch) : v.withLease(lease, epoch).withHome(c.holder());
        return new Plan(codec, Long.toString(epoch)).put(ClusterState.volumeKey(v.id()), granted);
    }

    Plan renew(ClusterState state, RenewLease c) {
        Checks.initialised(state);
        Volume v = VolumeCommands.volume(state, c.volumeId());
        Instant at = Checks.required(c.at(), "time");
        checkTtl(c.ttlMillis());
        VolumeLease held = current(v, c.epoch());
        VolumeLease renewed = new VolumeLease(held.holder(), held.epoch(), held.background(),
                at.plusMillis(c.ttlMillis()));
        return new Plan(codec, Long.toString(held.epoch()))
                .put(ClusterState.volumeKey(v.id()), v.withLease(renewed, v.epoch()));
    }

    Plan release(ClusterState state, ReleaseLease c) {
        Checks.initialised(state);
        Volume v = VolumeCommands.volume(state, c.volumeId());
        current(v, c.epoch());
        return new Plan(codec, Long.toString(c.epoch())).put(ClusterState.volumeKey(v.id()), v.withLease(null, v.epoch()));
    }

    /**
     * The lease with {@code epoch} if it is still the granted one. Expiry is not checked: an
     * expired lease nobody took over is still the newest epoch, so its holder's writes cannot
     * harm anyone, and a renewal after a pause lets it carry on.
     */
    static VolumeLease current(Volume v, long epoch) {
        VolumeLease held = v.lease();
        if (held == null || held.epoch() != epoch) {
            throw Rejection.conflict("the write lease of volume " + Names.quote(v.name()) + " with epoch " + epoch
                    + " is no longer held" + (held == null ? "" : ": " + Names.quote(held.holder())
                    + " holds epoch " + held.epoch()));
        }
        return held;
    }

    private static void checkTtl(long ttl) {
        if (ttl < MIN_TTL_MILLIS || ttl > MAX_TTL_MILLIS) {
            throw Rejection.invalid("lease time must be " + MIN_TTL_MILLIS + "-" + MAX_TTL_MILLIS + " ms, got " + ttl);
        }
    }
}
