package io.keel.s3store.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The bytes of one object or part, in order: ranges of Keel volumes. A packed object is one
 * segment; a multipart object is the concatenation of its parts' segments (completing an upload
 * copies no bytes). An empty object has no segments.
 */
public record DataLocation(List<Segment> segments) {
    public static final DataLocation EMPTY = new DataLocation(List.of());

    public DataLocation {
        segments = List.copyOf(segments);
    }

    public long length() {
        long sum = 0;
        for (Segment s : segments) {
            sum += s.length();
        }
        return sum;
    }

    public static DataLocation concat(List<DataLocation> parts) {
        List<Segment> all = new ArrayList<>();
        for (DataLocation p : parts) {
            all.addAll(p.segments());
        }
        return new DataLocation(all);
    }

    /** {@code length} bytes at {@code offset} of volume {@code volumeId}. */
    public record Segment(String volumeId, long offset, long length) {
        public Segment {
            Objects.requireNonNull(volumeId, "volumeId");
            if (offset < 0 || length <= 0) {
                throw new IllegalArgumentException("a segment has a non-negative offset and a positive length: "
                        + offset + "+" + length);
            }
        }
    }
}
