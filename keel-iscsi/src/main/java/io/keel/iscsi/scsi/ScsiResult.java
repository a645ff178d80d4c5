package io.keel.iscsi.scsi;

import java.util.Objects;

/**
 * The outcome of one command: status, data for the initiator (possibly longer than it asked for;
 * the transport truncates and reports the residual) and sense data when the status needs it.
 *
 * @param dataOutLength how many bytes of Data-Out the CDB itself asked for, or -1 if it asks for none;
 *                      the transport compares it with the Expected Data Transfer Length for residuals
 */
public record ScsiResult(int status, byte[] dataIn, byte[] sense, long dataOutLength) {
    public ScsiResult {
        Objects.requireNonNull(dataIn, "dataIn");
        Objects.requireNonNull(sense, "sense");
    }

    public ScsiResult(int status, byte[] dataIn, byte[] sense) {
        this(status, dataIn, sense, -1);
    }

    public ScsiResult withDataOutLength(long length) {
        return new ScsiResult(status, dataIn, sense, length);
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
