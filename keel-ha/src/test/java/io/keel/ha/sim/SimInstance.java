package io.keel.ha.sim;

import io.keel.ha.LocalInstance;
import java.time.Instant;

/**
 * One simulated instance on a node. {@code until} is when the current transition (start, stop,
 * migration) completes; {@code process} whether a process exists: a crashed QEMU has none, a paused
 * one does and still counts as running for the invariants.
 */
record SimInstance(LocalInstance.State state, Instant until, String failure, String target, boolean process) {
    static SimInstance starting(Instant ready) {
        return new SimInstance(LocalInstance.State.STARTING, ready, null, null, true);
    }

    static SimInstance running() {
        return new SimInstance(LocalInstance.State.RUNNING, null, null, null, true);
    }

    SimInstance stopping(Instant done) {
        return new SimInstance(LocalInstance.State.STOPPING, done, null, null, true);
    }

    SimInstance migrating(String to, Instant done) {
        return new SimInstance(LocalInstance.State.MIGRATING, done, null, to, true);
    }

    SimInstance failed(String why, boolean processLeft) {
        return new SimInstance(LocalInstance.State.FAILED, null, why, null, processLeft);
    }

    LocalInstance view(String resource) {
        return new LocalInstance(resource, state, failure);
    }
}
