package io.keel.iscsi.pdu;

import java.util.Arrays;
import java.util.Objects;

/**
 * A PDU's data segment (or AHS) with value semantics, so the PDU records compare by content.
 * The array is handed over, not copied: data segments reach 256 KiB and are on the I/O path, so
 * whoever builds a segment gives up the array and whoever reads it must not change it.
 */
public final class Segment {
    public static final Segment EMPTY = new Segment(new byte[0]);

    private final byte[] bytes;

    private Segment(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Takes ownership of {@code bytes}. */
    public static Segment of(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        return bytes.length == 0 ? EMPTY : new Segment(bytes);
    }

    /** The bytes themselves; callers must not modify them. */
    public byte[] bytes() {
        return bytes;
    }

    public int length() {
        return bytes.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Segment s && Arrays.equals(bytes, s.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "Segment[" + bytes.length + " bytes]";
    }
}
