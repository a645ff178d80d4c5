package io.keel.s3store.data;

import io.keel.storage.volume.VolumeException;
import io.keel.storage.volume.VolumeHandle;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;

/**
 * The bytes of a range of a {@link DataLocation}, read from the volumes one buffer at a time as
 * the caller consumes them. Not thread-safe (one stream, one reader).
 */
final class SegmentInputStream extends InputStream {
    private final List<DataLocation.Segment> segments;
    private final ReadHandles handles;
    private final ByteBuffer buffer;
    private int segment;
    /** Position inside {@code segments.get(segment)}. */
    private long inSegment;
    private long remaining;
    private boolean closed;

    SegmentInputStream(DataLocation location, long offset, long length, ReadHandles handles, int bufferSize) {
        Objects.requireNonNull(location, "location");
        this.handles = Objects.requireNonNull(handles, "handles");
        this.segments = location.segments();
        this.remaining = length;
        this.buffer = ByteBuffer.allocate((int) Math.min(bufferSize, Math.max(1, length))).limit(0);
        long skip = offset;
        while (segment < segments.size() && skip >= segments.get(segment).length()) {
            skip -= segments.get(segment).length();
            segment++;
        }
        this.inSegment = skip;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (closed) {
            throw new IOException("stream closed");
        }
        if (len == 0) {
            return 0;
        }
        if (!buffer.hasRemaining() && !fill()) {
            return -1;
        }
        int n = Math.min(len, buffer.remaining());
        buffer.get(b, off, n);
        return n;
    }

    @Override
    public int available() {
        return buffer.remaining();
    }

    /** Reads the next piece, never across a segment's end; false at the end of the range. */
    private boolean fill() throws IOException {
        if (remaining == 0) {
            return false;
        }
        DataLocation.Segment s = segments.get(segment);
        int n = (int) Math.min(Math.min(buffer.capacity(), remaining), s.length() - inSegment);
        buffer.clear().limit(n);
        long at = s.offset() + inSegment;
        try {
            VolumeHandle h = handles.forRange(s.volumeId(), at, n);
            h.read(at, buffer);
        } catch (VolumeException e) {
            throw new IOException("reading " + n + " bytes at " + at + " of volume " + s.volumeId() + " failed: "
                    + e.getMessage(), e);
        }
        buffer.flip();
        remaining -= n;
        inSegment += n;
        if (inSegment == s.length()) {
            segment++;
            inSegment = 0;
        }
        return true;
    }

    @Override
    public void close() {
        closed = true;
    }
}
