package io.keel.storage.volume;

/**
 * Where the bytes of an erasure-coded chunk live. The chunk is cut into {@link #UNIT}-byte units
 * dealt round-robin over the {@code data} data fragments, so unit u sits in row u / M of fragment
 * u % M; parity fragment M+p holds, at row r, the Reed-Solomon parity of row r's M units (units
 * past the chunk's end count as zeros). A range of rows is one contiguous range in every
 * fragment, so a multi-row change is one buffer and one request per fragment.
 */
record StripeLayout(int data, int chunkSize) {
    /** Bytes per stripe unit: one checksum block, so a unit is never shared by two requests. */
    static final int UNIT = 4096;

    /** A byte range [start, end) of one fragment. */
    record Range(int start, int end) {
        int length() {
            return end - start;
        }
    }

    /** One contiguous piece of a chunk range that lies in a single unit. */
    interface PieceVisitor {
        void piece(int fragment, int fragmentOffset, int chunkOffset, int length);
    }

    StripeLayout {
        if (data < 1) {
            throw new IllegalArgumentException("data fragments must be >= 1: " + data);
        }
        if (chunkSize < UNIT || Integer.bitCount(chunkSize) != 1) {
            throw new IllegalArgumentException("chunk size must be a power of two >= " + UNIT + ": " + chunkSize);
        }
    }

    int units() {
        return chunkSize / UNIT;
    }

    int rows() {
        return (units() + data - 1) / data;
    }

    /** Bytes each fragment chunk holds (the last row counts in full). */
    int fragmentSize() {
        return rows() * UNIT;
    }

    int row(int chunkOffset) {
        return chunkOffset / UNIT / data;
    }

    int fragment(int chunkOffset) {
        return chunkOffset / UNIT % data;
    }

    int fragmentOffset(int chunkOffset) {
        return row(chunkOffset) * UNIT + chunkOffset % UNIT;
    }

    /** The first chunk offset row {@code r} covers. */
    int rowStart(int r) {
        return r * data * UNIT;
    }

    /** The chunk offset just past row {@code r} (the last row may end early at the chunk's end). */
    int rowEnd(int r) {
        return (int) Math.min((long) (r + 1) * data * UNIT, chunkSize);
    }

    /** The first row of a non-empty range. */
    int firstRow(int offset) {
        return row(offset);
    }

    /** One past the last row of a non-empty range. */
    int endRow(int offset, int length) {
        return row(offset + length - 1) + 1;
    }

    /** Whether [offset, offset + length) covers every byte row {@code r} holds. */
    boolean covers(int offset, int length, int r) {
        return offset <= rowStart(r) && offset + length >= rowEnd(r);
    }

    /** The first full row at or after {@code offset}'s row, as rows [first, end) fully covered. */
    int firstFullRow(int offset) {
        int r = row(offset);
        return rowStart(r) < offset ? r + 1 : r;
    }

    /** One past the last row fully inside [offset, offset + length). */
    int endFullRow(int offset, int length) {
        int end = offset + length;
        int r = endRow(offset, length);
        return rowEnd(r - 1) > end ? r - 1 : r;
    }

    /**
     * The bytes of data fragment {@code k} that the non-empty chunk range [offset, offset +
     * length) touches, or null if none. Contiguous, since every unit of {@code k} between the
     * first and last touched one is wholly inside the range.
     */
    Range touched(int k, int offset, int length) {
        int u0 = offset / UNIT;
        int last = offset + length - 1;
        int u1 = last / UNIT;
        int first = u0 + Math.floorMod(k - u0, data);
        if (first > u1) {
            return null;
        }
        int lastUnit = u1 - Math.floorMod(u1 - k, data);
        int start = first / data * UNIT + (first == u0 ? offset % UNIT : 0);
        int end = lastUnit / data * UNIT + (lastUnit == u1 ? last % UNIT + 1 : UNIT);
        return new Range(start, end);
    }

    /** Visits the chunk range unit piece by unit piece, in chunk order. */
    void forEachPiece(int offset, int length, PieceVisitor v) {
        int pos = offset;
        int end = offset + length;
        while (pos < end) {
            int n = Math.min(end - pos, UNIT - pos % UNIT);
            v.piece(fragment(pos), fragmentOffset(pos), pos, n);
            pos += n;
        }
    }
}
