package io.keel.node.ha;

import io.keel.meta.cluster.ClusterState;
import io.keel.meta.cluster.HaStatusRecord;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this node's metadata replica has caught up since it was last cut off (ADR 0031). A node
 * back from a partition hears heartbeats again before its replica has applied what the majority
 * decided meanwhile: read from that replica, the HA status still places its VMs on it, and its
 * LRM restarted the VM the cluster had moved, and its VM agent launched a second QEMU of it (only
 * the volume lease stopped that one from running). So after a cut-off, and at process start, the
 * node counts as in contact only once its replica holds the HA status version the leader had
 * when contact returned. The leader is asked in the background, never by the step itself.
 */
final class ReplicaCatchUp {
    private static final Logger log = LoggerFactory.getLogger(ReplicaCatchUp.class);

    private final LongSupplier local;
    private final LongSupplier leader;
    private final Consumer<Runnable> background;
    private boolean behind = true;
    private boolean asking;
    /** The leader's status version since contact returned; -1 while not known. */
    private long target = -1;

    /** {@code local}, {@code leader}: the HA status version in this node's replica, and in the leader's. */
    ReplicaCatchUp(LongSupplier local, LongSupplier leader, Consumer<Runnable> background) {
        this.local = Objects.requireNonNull(local, "local");
        this.leader = Objects.requireNonNull(leader, "leader");
        this.background = Objects.requireNonNull(background, "background");
    }

    /** {@code inContact}: heartbeats and acknowledged writes say the majority is reachable. */
    synchronized boolean caughtUp(boolean inContact) {
        if (!inContact) {
            if (!behind) {
                log.info("cut off from the metadata majority: HA acts again once this node's replica has caught up");
            }
            behind = true;
            target = -1;
            return false;
        }
        if (!behind) {
            return true;
        }
        if (target < 0) {
            if (!asking) {
                asking = true;
                background.accept(this::askLeader);
            }
            return false;
        }
        long have = local.getAsLong();
        if (have < target) {
            return false;
        }
        log.info("metadata replica caught up (HA status version {} of {})", have, target);
        behind = false;
        target = -1;
        return true;
    }

    private void askLeader() {
        long v = -1;
        try {
            v = leader.getAsLong();
        } catch (RuntimeException e) {
            log.debug("the leader's HA status version not read yet: {}", e.getMessage());
        }
        synchronized (this) {
            asking = false;
            if (behind && v >= 0) {
                target = v;
            }
        }
    }

    static long statusVersion(ClusterState s) {
        return s.haStatus().map(HaStatusRecord::version).orElse(0L);
    }
}
