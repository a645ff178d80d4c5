package io.keel.ec;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A systematic Reed-Solomon code over GF(2^8) with M data and N parity fragments: the data
 * fragments are stored as they are, the N parity fragments are the Cauchy rows of the generator
 * applied to them (ADR 0047), and any M of the M+N fragments give back all of them.
 *
 * <p>Fragments of one stripe have equal lengths; byte i of a parity fragment depends only on
 * byte i of the data fragments, so any length works, 1 byte included. ByteBuffer fragments are
 * their bytes from position to limit; neither position nor limit is changed. Instances are
 * safe to share between threads; their only state besides the code itself is a bounded cache of
 * repair plans by loss pattern.
 */
public final class ReedSolomon {
    /** Most fragments (M + N) in one stripe. */
    public static final int MAX_FRAGMENTS = 32;

    private final int dataCount;
    private final int parityCount;
    private final Kernel kernel;
    private final int[][] generator;
    private final Kernel.Plan encodePlan;
    /**
     * Repair plans by loss pattern (bit i set: fragment i lost), so that repairing many stripes
     * after one failure inverts once. Bounded: a 16+16 code has ~10^9 patterns, a failure a few.
     */
    private final ConcurrentMap<Integer, Kernel.Plan> repairPlans = new ConcurrentHashMap<>();
    private static final int MAX_CACHED_PLANS = 256;

    private ReedSolomon(int dataCount, int parityCount, Kernel kernel) {
        this.dataCount = dataCount;
        this.parityCount = parityCount;
        this.kernel = kernel;
        this.generator = GfMatrix.cauchyGenerator(dataCount, parityCount);
        int[][] parityRows = new int[parityCount][];
        for (int p = 0; p < parityCount; p++) {
            parityRows[p] = generator[dataCount + p].clone();
        }
        this.encodePlan = kernel.plan(parityRows);
    }

    /** An M+N code on the {@linkplain Kernel#best() best kernel} of this JVM. */
    public static ReedSolomon of(int dataCount, int parityCount) {
        return of(dataCount, parityCount, Kernel.best());
    }

    public static ReedSolomon of(int dataCount, int parityCount, Kernel kernel) {
        Objects.requireNonNull(kernel, "kernel");
        if (dataCount < 1) {
            throw new IllegalArgumentException("an erasure code needs at least 1 data fragment, got M = " + dataCount);
        }
        if (parityCount < 0) {
            throw new IllegalArgumentException("the parity fragment count cannot be negative, got N = " + parityCount);
        }
        if (dataCount + parityCount > MAX_FRAGMENTS) {
            throw new IllegalArgumentException("a stripe has at most " + MAX_FRAGMENTS + " fragments, got M + N = "
                    + dataCount + " + " + parityCount + " = " + (dataCount + parityCount));
        }
        return new ReedSolomon(dataCount, parityCount, kernel);
    }

    public int dataCount() {
        return dataCount;
    }

    public int parityCount() {
        return parityCount;
    }

    public int fragmentCount() {
        return dataCount + parityCount;
    }

    public Kernel kernel() {
        return kernel;
    }

    /** The generator coefficient for fragment {@code row} and data fragment {@code column}. */
    public int coefficient(int row, int column) {
        Objects.checkIndex(row, fragmentCount());
        Objects.checkIndex(column, dataCount);
        return generator[row][column];
    }

    @Override
    public String toString() {
        return "ReedSolomon[" + dataCount + "+" + parityCount + ", " + kernel.name() + "]";
    }

    /** Writes the N parity fragments of the M data fragments; all have the same remaining bytes. */
    public void encode(ByteBuffer[] data, ByteBuffer[] parity) {
        Fragments f = new Fragments();
        MemorySegment[] in = f.buffers(data, dataCount, "data", false);
        MemorySegment[] out = f.buffers(parity, parityCount, "parity", true);
        f.checkNoOverlap();
        kernel.apply(encodePlan, in, out, f.length);
    }

    /** Writes bytes [offset, offset + length) of the parity arrays from the same range of the data. */
    public void encode(byte[][] data, byte[][] parity, int offset, int length) {
        Fragments f = new Fragments();
        MemorySegment[] in = f.arrays(data, dataCount, "data", offset, length);
        MemorySegment[] out = f.arrays(parity, parityCount, "parity", offset, length);
        f.markWritten(dataCount, fragmentCount());
        f.checkNoOverlap();
        kernel.apply(encodePlan, in, out, length);
    }

    /**
     * Rebuilds lost fragments. {@code fragments} holds the M+N fragments in order, data first, with
     * null for each lost one; {@code recovered} has, at the index of every lost fragment, the buffer
     * to write it into (other entries are ignored and may be null). Needs at least M survivors.
     */
    public void decode(ByteBuffer[] fragments, ByteBuffer[] recovered) {
        Objects.requireNonNull(fragments, "fragments");
        Objects.requireNonNull(recovered, "recovered");
        checkCount(fragments.length, fragmentCount(), "fragments");
        checkCount(recovered.length, fragmentCount(), "recovered buffers");
        Loss loss = loss(i -> fragments[i] != null);
        if (loss.lost.length == 0) {
            return;
        }
        Fragments f = new Fragments();
        MemorySegment[] survivors = new MemorySegment[fragmentCount()];
        for (int i = 0; i < fragments.length; i++) {
            if (fragments[i] != null) {
                survivors[i] = f.buffer(fragments[i], "fragment " + i, false);
            }
        }
        MemorySegment[] in = new MemorySegment[dataCount];
        for (int i = 0; i < dataCount; i++) {
            in[i] = survivors[loss.survivors[i]];
        }
        MemorySegment[] out = new MemorySegment[loss.lost.length];
        for (int i = 0; i < out.length; i++) {
            int index = loss.lost[i];
            if (recovered[index] == null) {
                throw new IllegalArgumentException("fragment " + index + " is lost but recovered[" + index + "] is null");
            }
            out[i] = f.buffer(recovered[index], "recovered fragment " + index, true);
        }
        f.checkNoOverlap();
        kernel.apply(repairPlan(loss), in, out, f.length);
    }

    /** Like {@link #decode(ByteBuffer[], ByteBuffer[])}, into new heap buffers: returns all M+N. */
    public ByteBuffer[] decode(ByteBuffer[] fragments) {
        Objects.requireNonNull(fragments, "fragments");
        checkCount(fragments.length, fragmentCount(), "fragments");
        int length = -1;
        for (ByteBuffer b : fragments) {
            if (b != null) {
                length = b.remaining();
                break;
            }
        }
        ByteBuffer[] all = fragments.clone();
        ByteBuffer[] recovered = new ByteBuffer[fragments.length];
        for (int i = 0; i < fragments.length; i++) {
            if (fragments[i] == null && length >= 0) {
                recovered[i] = ByteBuffer.allocate(length);
                all[i] = recovered[i];
            }
        }
        decode(fragments, recovered);
        return all;
    }

    /**
     * Rebuilds, in place, bytes [offset, offset + length) of every fragment whose {@code present}
     * entry is false, from those whose entry is true. Every array must be non-null.
     */
    public void decode(byte[][] fragments, boolean[] present, int offset, int length) {
        Objects.requireNonNull(fragments, "fragments");
        Objects.requireNonNull(present, "present");
        checkCount(present.length, fragmentCount(), "present flags");
        Fragments f = new Fragments();
        MemorySegment[] all = f.arrays(fragments, fragmentCount(), "", offset, length);
        Loss loss = loss(i -> present[i]);
        if (loss.lost.length == 0) {
            return;
        }
        MemorySegment[] in = new MemorySegment[dataCount];
        for (int i = 0; i < dataCount; i++) {
            in[i] = all[loss.survivors[i]];
        }
        MemorySegment[] out = new MemorySegment[loss.lost.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = all[loss.lost[i]];
            f.markWritten(loss.lost[i], loss.lost[i] + 1);
        }
        f.checkNoOverlap();
        kernel.apply(repairPlan(loss), in, out, length);
    }

    /** Which fragments are lost, and the first M survivors the repair reads. */
    private record Loss(int[] lost, int[] survivors) {}

    private interface Presence {
        boolean present(int index);
    }

    private Loss loss(Presence presence) {
        List<Integer> lost = new ArrayList<>();
        int[] survivors = new int[dataCount];
        int found = 0;
        for (int i = 0; i < fragmentCount(); i++) {
            if (!presence.present(i)) {
                lost.add(i);
            } else if (found < dataCount) {
                survivors[found++] = i;
            }
        }
        if (lost.size() > parityCount) {
            throw new IllegalArgumentException(lost.size() + " of " + fragmentCount() + " fragments are lost " + lost
                    + " but a " + dataCount + "+" + parityCount + " code tolerates at most " + parityCount
                    + " lost fragment" + (parityCount == 1 ? "" : "s") + ": the stripe cannot be rebuilt");
        }
        return new Loss(lost.stream().mapToInt(Integer::intValue).toArray(), survivors);
    }

    private Kernel.Plan repairPlan(Loss loss) {
        int pattern = 0;
        for (int i : loss.lost) {
            pattern |= 1 << i;
        }
        Kernel.Plan cached = repairPlans.get(pattern);
        if (cached != null) {
            return cached;
        }
        Kernel.Plan plan = kernel.plan(repairMatrix(loss));
        if (repairPlans.size() < MAX_CACHED_PLANS) {
            repairPlans.putIfAbsent(pattern, plan);
        }
        return plan;
    }

    /**
     * Rows that turn the survivors into the lost fragments: the survivors are S·data for the
     * survivors' generator rows S, so data = S⁻¹·survivors, and lost fragment i is G[i]·S⁻¹·survivors.
     */
    private int[][] repairMatrix(Loss loss) {
        int[][] dataFromSurvivors = GfMatrix.invert(GfMatrix.rows(generator, loss.survivors));
        return GfMatrix.multiply(GfMatrix.rows(generator, loss.lost), dataFromSurvivors);
    }

    private static void checkCount(int actual, int expected, String what) {
        if (actual != expected) {
            throw new IllegalArgumentException("expected " + expected + " " + what + ", got " + actual);
        }
    }

    /**
     * Checks fragments one by one as they become segments: all must have the first one's length, and
     * no output may share a byte with another fragment (the kernel would read what it just wrote).
     */
    private static final class Fragments {
        private long length = -1;
        private String first;
        private final List<MemorySegment> segments = new ArrayList<>();
        private final List<String> names = new ArrayList<>();
        private final List<Boolean> written = new ArrayList<>();

        private MemorySegment add(MemorySegment segment, String name, boolean writes) {
            segments.add(segment);
            names.add(name);
            written.add(writes);
            return segment;
        }

        /** Fragments [from, to) in the order they were added are outputs. */
        void markWritten(int from, int to) {
            for (int i = from; i < to; i++) {
                written.set(i, true);
            }
        }

        void checkNoOverlap() {
            for (int w = 0; w < segments.size(); w++) {
                if (!written.get(w)) {
                    continue;
                }
                for (int other = 0; other < segments.size(); other++) {
                    if (other != w && segments.get(w).asOverlappingSlice(segments.get(other)).isPresent()) {
                        throw new IllegalArgumentException(names.get(w) + " overlaps " + names.get(other)
                                + ": an output must not share bytes with any other fragment");
                    }
                }
            }
        }

        /** kind is "data", "parity" or "" (fragments of a whole stripe), for the messages. */
        MemorySegment[] buffers(ByteBuffer[] buffers, int expected, String kind, boolean writable) {
            Objects.requireNonNull(buffers, prefix(kind) + "fragments");
            checkCount(buffers.length, expected, prefix(kind) + "fragments");
            MemorySegment[] result = new MemorySegment[expected];
            for (int i = 0; i < expected; i++) {
                result[i] = buffer(buffers[i], prefix(kind) + "fragment " + i, writable);
            }
            return result;
        }

        MemorySegment buffer(ByteBuffer buffer, String name, boolean writable) {
            if (buffer == null) {
                throw new IllegalArgumentException(name + " is null");
            }
            if (writable && buffer.isReadOnly()) {
                throw new IllegalArgumentException(name + " is read-only");
            }
            sameLength(buffer.remaining(), name);
            return add(MemorySegment.ofBuffer(buffer), name, writable);
        }

        MemorySegment[] arrays(byte[][] arrays, int expected, String kind, int offset, int length) {
            Objects.requireNonNull(arrays, prefix(kind) + "fragments");
            checkCount(arrays.length, expected, prefix(kind) + "fragments");
            if (offset < 0 || length < 0) {
                throw new IllegalArgumentException("offset and length cannot be negative, got " + offset + " and " + length);
            }
            length(length, "the given length");
            MemorySegment[] result = new MemorySegment[expected];
            for (int i = 0; i < expected; i++) {
                String name = prefix(kind) + "fragment " + i;
                byte[] a = arrays[i];
                if (a == null) {
                    throw new IllegalArgumentException(name + " is null");
                }
                if ((long) offset + length > a.length) {
                    throw new IllegalArgumentException(name + " has " + a.length + " bytes, fewer than offset + length = "
                            + ((long) offset + length));
                }
                result[i] = add(MemorySegment.ofArray(a).asSlice(offset, length), name, false);
            }
            return result;
        }

        private static String prefix(String kind) {
            return kind.isEmpty() ? "" : kind + " ";
        }

        private void length(long bytes, String name) {
            if (length < 0) {
                length = bytes;
                first = name;
            }
        }

        private void sameLength(long bytes, String name) {
            length(bytes, name);
            if (bytes != length) {
                throw new IllegalArgumentException("fragments must have equal lengths: " + first + " has " + length
                        + " bytes, " + name + " has " + bytes);
            }
        }
    }
}
