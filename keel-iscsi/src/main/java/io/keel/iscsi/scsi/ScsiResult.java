package io.keel.iscsi.scsi;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The outcome of one command: status, data for the initiator (possibly longer than it asked for;
 * the transport truncates and reports the residual) and sense data when the status needs it.
 *
 * @param dataIn        the data for the initiator, its remaining bytes; a read's is a pooled direct
 *                      buffer the transport sends from as it is, then hands back with {@link #release()}
 * @param dataOutLength how many bytes of Data-Out the CDB itself asked for, or -1 if it asks for none;
 *                      the transport compares it with the Expected Data Transfer Length for residuals
 * @param onRelease     what gives {@code dataIn} back once sent (nothing for data of its own)
 */
public record ScsiResult(int status, ByteBuffer dataIn, byte[] sense, long dataOutLength, Runnable onRelease) {
    private static final byte[] NONE = new byte[0];
    private static final ByteBuffer NO_DATA = ByteBuffer.allocate(0).asReadOnlyBuffer();
    private static final Runnable KEEP = () -> {};

    public ScsiResult {
        Objects.requireNonNull(dataIn, "dataIn");
        Objects.requireNonNull(sense, "sense");
        Objects.requireNonNull(onRelease, "onRelease");
    }

    public ScsiResult(int status, byte[] dataIn, byte[] sense) {
        this(status, ByteBuffer.wrap(dataIn), sense, -1, KEEP);
    }

    public ScsiResult withDataOutLength(long length) {
        return new ScsiResult(status, dataIn, sense, length, onRelease);
    }

    /** How many bytes of data the command returns. */
    public int dataLength() {
        return dataIn.remaining();
    }

    /** A copy of the data, for tests and for callers that want an array. */
    public byte[] data() {
        byte[] out = new byte[dataIn.remaining()];
        dataIn.get(dataIn.position(), out);
        return out;
    }

    /** The transport is done with {@link #dataIn}: it may go back to its pool. Once only. */
    public void release() {
        onRelease.run();
    }

    public static ScsiResult good() {
        return new ScsiResult(ScsiStatus.GOOD, NO_DATA, NONE, -1, KEEP);
    }

    public static ScsiResult good(byte[] data) {
        return new ScsiResult(ScsiStatus.GOOD, ByteBuffer.wrap(data), NONE, -1, KEEP);
    }

    /** Data in {@code buffer}'s remaining bytes, which {@code release} gives back once sent. */
    public static ScsiResult good(ByteBuffer buffer, Runnable release) {
        return new ScsiResult(ScsiStatus.GOOD, buffer, NONE, -1, release);
    }

    public static ScsiResult check(Sense sense) {
        return new ScsiResult(ScsiStatus.CHECK_CONDITION, NO_DATA, sense.fixed(), -1, KEEP);
    }

    public static ScsiResult status(int status) {
        return new ScsiResult(status, NO_DATA, NONE, -1, KEEP);
    }
}
