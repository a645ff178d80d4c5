package io.keel.iscsi.pdu;

import java.util.Arrays;
import java.util.Objects;

/**
 * A PDU's data segment (or AHS) with value semantics, so the PDU records compare by content.
 * The array is handed over, not copied: data segments reach 256 KiB and are on the I/O path, so
 * whoever builds a segment gives up the array and whoever reads it must not change it.
 */
public final class Segment {
    public static final Segment EMPTY = new Segment(new byte[0], 0, 0);

    private final byte[] bytes;
    private final int offset;
    private final int length;

    private Segment(byte[] bytes, int offset, int length) {
        this.bytes = bytes;
        this.offset = offset;
        this.length = length;
    }

    /** Takes ownership of {@code bytes}. */
    public static Segment of(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        return bytes.length == 0 ? EMPTY : new Segment(bytes, 0, bytes.length);
    }

    /**
     * A range of {@code bytes}, which it takes ownership of: the Data-In PDUs of one large read
     * share its buffer instead of each copying their piece.
     */
    public static Segment of(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, Objects.requireNonNull(bytes, "bytes").length);
        return length == 0 ? EMPTY : new Segment(bytes, offset, length);
    }

    /** The bytes themselves (a copy only for a range of a larger array); callers must not modify them. */
    public byte[] bytes() {
        return offset == 0 && length == bytes.length ? bytes : Arrays.copyOfRange(bytes, offset, offset + length);
    }

    /** The array behind the segment, which holds it at {@link #offset()}; callers must not modify it. */
    public byte[] array() {
        return bytes;
    }

    public int offset() {
        return offset;
    }

    public int length() {
        return length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Segment s
                && Arrays.equals(bytes, offset, offset + length, s.bytes, s.offset, s.offset + s.length);
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (int i = offset; i < offset + length; i++) {
            h = 31 * h + bytes[i];
        }
        return h;
    }

    @Override
    public String toString() {
        return "Segment[" + length + " bytes]";
    }
}
