package io.keel.iscsi.scsi;

import java.util.Objects;

/**
 * This node's path to a LUN. Only {@link Active} has storage behind it; the others answer what
 * SPC-4 5.15.2.4 allows in their ALUA state and refuse the rest with NOT READY.
 */
public sealed interface PathState {

    AluaState alua();

    /** Active/optimized: the volume is open here and serves I/O. */
    record Active(LunBackend backend) implements PathState {
        public Active {
            Objects.requireNonNull(backend, "backend");
        }

        @Override
        public AluaState alua() {
            return AluaState.ACTIVE_OPTIMIZED;
        }
    }

    /** Another node serves I/O; this one answers inquiries and reservations only. */
    record Standby() implements PathState {
        @Override
        public AluaState alua() {
            return AluaState.STANDBY;
        }
    }

    /** The active path is moving to or from this node: initiators retry. */
    record Transitioning() implements PathState {
        @Override
        public AluaState alua() {
            return AluaState.TRANSITIONING;
        }
    }

    /** This node cannot serve the LUN at all (fenced, volume lost). */
    record Unavailable() implements PathState {
        @Override
        public AluaState alua() {
            return AluaState.UNAVAILABLE;
        }
    }
}
