package io.keel.iscsi.pdu;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A PDU's data segment (or AHS) with value semantics, so the PDU records compare by content.
 * The bytes are handed over, not copied: data segments reach 256 KiB and are on the I/O path, so
 * whoever builds a segment gives up the bytes and whoever reads it must not change them. A segment
 * holds either a range of an array (what the codec parses, what commands build) or a buffer (the
 * Data-In of a read, read from the medium into direct memory that goes to the socket as it is).
 */
public final class Segment {
    public static final Segment EMPTY = new Segment(ByteBuffer.allocate(0), null);

    /** Read-only, position 0, limit = length; duplicated before anyone moves its position. */
    private final ByteBuffer view;
    /** The array the segment is all of, if it is: {@link #bytes()} then needs no copy. */
    private final byte[] whole;

    private Segment(ByteBuffer view, byte[] whole) {
        this.view = view;
        this.whole = whole;
    }

    /** Takes ownership of {@code bytes}. */
    public static Segment of(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        return bytes.length == 0 ? EMPTY : new Segment(ByteBuffer.wrap(bytes).asReadOnlyBuffer(), bytes);
    }

    /**
     * A range of {@code bytes}, which it takes ownership of: the Data-In PDUs of one large read
     * share its buffer instead of each copying their piece.
     */
    public static Segment of(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, Objects.requireNonNull(bytes, "bytes").length);
        if (length == 0) {
            return EMPTY;
        }
        return new Segment(ByteBuffer.wrap(bytes, offset, length).slice().asReadOnlyBuffer(),
                offset == 0 && length == bytes.length ? bytes : null);
    }

    /**
     * The remaining bytes of {@code buffer}, which must stay unchanged until the PDU is sent
     * ({@link FrameWriter} sends large segments before its call returns).
     */
    public static Segment of(ByteBuffer buffer) {
        Objects.requireNonNull(buffer, "buffer");
        return buffer.hasRemaining() ? new Segment(buffer.slice().asReadOnlyBuffer(), null) : EMPTY;
    }

    /** The bytes (a copy unless the segment is a whole array); callers must not modify them. */
    public byte[] bytes() {
        if (whole != null) {
            return whole;
        }
        byte[] out = new byte[view.limit()];
        view.get(0, out);
        return out;
    }

    /** The bytes as a read-only buffer of its own, positioned at the first. */
    public ByteBuffer buffer() {
        return view.duplicate();
    }

    public int length() {
        return view.limit();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Segment s && view.equals(s.view);
    }

    @Override
    public int hashCode() {
        return view.hashCode();
    }

    @Override
    public String toString() {
        return "Segment[" + length() + " bytes]";
    }
}
