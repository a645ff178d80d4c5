package io.keel.iscsi.scsi;

import java.util.Objects;

/**
 * The outcome of one command: status, data for the initiator (possibly longer than it asked for;
 * the transport truncates and reports the residual) and sense data when the status needs it.
 */
public record ScsiResult(int status, byte[] dataIn, byte[] sense) {
    public ScsiResult {
        Objects.requireNonNull(dataIn, "dataIn");
        Objects.requireNonNull(sense, "sense");
    }

    private static final byte[] NONE = new byte[0];

    public static ScsiResult good() {
        return new ScsiResult(ScsiStatus.GOOD, NONE, NONE);
    }

    public static ScsiResult good(byte[] data) {
        return new ScsiResult(ScsiStatus.GOOD, data, NONE);
    }

    public static ScsiResult check(Sense sense) {
        return new ScsiResult(ScsiStatus.CHECK_CONDITION, NONE, sense.fixed());
    }

    public static ScsiResult status(int status) {
        return new ScsiResult(status, NONE, NONE);
    }
}
