package io.keel.s3store.data;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.storage.volume.VolumeClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@link VolumeObjectData} over real chunk servers and volume clients; every assertion is on bytes read back. */
@Timeout(value = 20, unit = SECONDS)
class VolumeObjectDataTest {
    private static final int MIB = 1 << 20;
    private static final int CHUNK = StorageFixture.CHUNK;

    @TempDir
    Path root;

    private StorageFixture storage;
    private final InMemoryIndexShard shard = new InMemoryIndexShard();
    private final ReservationLog reservations = new IndexShardReservationLog(shard);
    private final List<VolumeObjectData> gateways = new ArrayList<>();

    @BeforeEach
    void start() {
        storage = new StorageFixture(root, 3);
    }

    @AfterEach
    void stop() throws Exception {
        gateways.forEach(VolumeObjectData::close);
        storage.close();
    }

    private static VolumeDataOptions options(String writer) {
        // Small buffers, two in flight: a large body here is many buffers, several written at once.
        // Released ranges are trimmed without a grace period unless a test asks for one.
        return VolumeDataOptions.defaults(writer).withReservationStep(64L * MIB).withBufferSize(MIB)
                .withWriteDepth(2).withReleaseGrace(java.time.Duration.ZERO);
    }

    private VolumeObjectData gateway(VolumeDataOptions options) {
        VolumeClient client = storage.client();
        VolumeObjectData d = new VolumeObjectData(storage.volumes(client, options.writerId()), reservations, options);
        gateways.add(d);
        return d;
    }

    private static byte[] bytes(long seed, int n) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static DataLocation put(ObjectData d, byte[] body, long hint) throws IOException {
        return d.write(new ByteArrayInputStream(body), hint);
    }

    private static DataLocation put(ObjectData d, byte[] body) throws IOException {
        return put(d, body, body.length);
    }

    private static byte[] get(ObjectData d, DataLocation loc) throws IOException {
        try (InputStream in = d.open(loc, 0, loc.length())) {
            return in.readAllBytes();
        }
    }

    private static DataLocation.Segment only(DataLocation loc) {
        assertThat(loc.segments()).hasSize(1);
        return loc.segments().getFirst();
    }

    private static long end(DataLocation.Segment s) {
        return s.offset() + s.length();
    }

    @Test
    void smallBodiesArePackedNextToEachOtherAtBlockBoundaries() throws IOException {
        VolumeObjectData d = gateway(options("gw1"));
        byte[] a = bytes(1, 100);
        byte[] b = bytes(2, 5000);
        byte[] c = bytes(3, 70_000);
        byte[] e = bytes(4, 4096);
        DataLocation la = put(d, a);
        DataLocation lb = put(d, b, -1);
        // The hint is only a hint: a short body is packed whatever was announced.
        DataLocation lc = put(d, c, 50L * MIB);
        DataLocation le = put(d, e);

        assertThat(List.of(la, lb, lc, le)).extracting(l -> only(l).volumeId()).containsOnly(only(la).volumeId());
        assertThat(List.of(la, lb, lc, le)).extracting(l -> only(l).offset()).containsExactly(0L, 4096L,
                12288L, 86016L);
        assertThat(get(d, la)).isEqualTo(a);
        assertThat(get(d, lb)).isEqualTo(b);
        assertThat(get(d, lc)).isEqualTo(c);
        assertThat(get(d, le)).isEqualTo(e);
        try (InputStream in = d.open(lc, 1000, 2000)) {
            assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(c, 1000, 3000));
        }
        assertThat(put(d, new byte[0])).isEqualTo(DataLocation.EMPTY);
        assertThat(d.open(DataLocation.EMPTY, 0, 0).readAllBytes()).isEmpty();
        assertThatThrownBy(() -> d.open(la, 50, 51)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLargeBodyStartsOnAChunkBoundaryAndSpansChunks() throws IOException {
        VolumeObjectData d = gateway(options("gw1"));
        DataLocation small = put(d, bytes(1, 3000));
        byte[] big = bytes(2, 20 * MIB);
        DataLocation large = put(d, big);
        DataLocation after = put(d, bytes(3, 10));

        DataLocation.Segment s = only(large);
        assertThat(s.offset()).isPositive().isEqualTo(CHUNK);
        assertThat(s.length()).isEqualTo(20L * MIB);
        assertThat(only(after).offset()).isGreaterThanOrEqualTo(end(s));
        assertThat(get(d, large)).isEqualTo(big);
        try (InputStream in = d.open(large, 3L * CHUNK - 100, 300)) {
            assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(big, 3 * CHUNK - 100, 3 * CHUNK + 200));
        }
        assertThat(get(d, small)).isEqualTo(bytes(1, 3000));
        // The volume is 1 TiB, and thin: only the 22 chunks written exist.
        assertThat(storage.catalog.layout(s.volumeId()).sizeBytes()).isEqualTo(1L << 40);
        assertThat(storage.catalog.allocatedChunks(s.volumeId())).isEqualTo(22);
    }

    @Test
    void aBodyOfExactlyTheThresholdIsStoredWholeAndSoIsOneLongerThanAnnounced() throws IOException {
        VolumeObjectData d = gateway(options("gw1"));
        byte[] exact = bytes(6, MIB);
        DataLocation le = put(d, exact);
        assertThat(only(le).length()).isEqualTo(MIB);
        assertThat(get(d, le)).isEqualTo(exact);
        // The announced length read in full, but more follows: every byte is kept, in order.
        byte[] longer = bytes(7, 3 * MIB + 1);
        DataLocation ll = put(d, longer, MIB);
        assertThat(ll.length()).isEqualTo(3L * MIB + 1);
        assertThat(get(d, ll)).isEqualTo(longer);
        byte[] oneMore = bytes(8, MIB + 1);
        assertThat(get(d, put(d, oneMore, MIB))).isEqualTo(oneMore);
    }

    @Test
    void aLargeBodyOfUnknownSizeFillsExtentAfterExtent() throws IOException {
        VolumeObjectData d = gateway(options("gw1").withUnknownSizeExtent(3L * MIB));
        byte[] big = bytes(5, 8 * MIB + 12345);
        DataLocation loc = put(d, big, -1);
        // Extents of one writer follow each other, so they merge into one segment.
        assertThat(only(loc).length()).isEqualTo(big.length);
        assertThat(get(d, loc)).isEqualTo(big);
    }

    @Test
    void concurrentWritersAllReadTheirBytesBack() throws Exception {
        VolumeObjectData d = gateway(options("gw1"));
        int threads = 32;
        int perThread = 4;
        record Stored(long seed, int size, DataLocation loc) {}
        List<Future<List<Stored>>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    Random r = new Random(thread);
                    List<Stored> mine = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        long seed = thread * 1000L + i;
                        // Every other thread starts with a large body: extents and packing interleave.
                        int size = i == 0 && thread % 2 == 0 ? MIB + r.nextInt(MIB / 2) : 1 + r.nextInt(150_000);
                        byte[] body = bytes(seed, size);
                        mine.add(new Stored(seed, size, put(d, body, r.nextBoolean() ? size : -1)));
                    }
                    return mine;
                }));
            }
        }
        List<Stored> all = new ArrayList<>();
        for (Future<List<Stored>> f : futures) {
            all.addAll(f.get());
        }
        assertThat(all).hasSize(threads * perThread);
        for (Stored s : all) {
            assertThat(get(d, s.loc())).as("object %d", s.seed()).isEqualTo(bytes(s.seed(), s.size()));
        }
        List<DataLocation.Segment> segments = all.stream().flatMap(s -> s.loc().segments().stream())
                .sorted(Comparator.comparing(DataLocation.Segment::volumeId)
                        .thenComparingLong(DataLocation.Segment::offset))
                .toList();
        for (int i = 1; i < segments.size(); i++) {
            DataLocation.Segment prev = segments.get(i - 1);
            DataLocation.Segment cur = segments.get(i);
            if (prev.volumeId().equals(cur.volumeId())) {
                assertThat(cur.offset()).as("%s after %s", cur, prev)
                        .isGreaterThanOrEqualTo(Allocator.roundUp(end(prev), VolumeObjectData.BLOCK));
            }
        }
    }

    /** A body that delivers {@code good} bytes and then fails, as a client that hangs up does. */
    private static InputStream failingAfter(byte[] good) {
        return new InputStream() {
            private final ByteArrayInputStream in = new ByteArrayInputStream(good);

            @Override
            public int read() throws IOException {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("client went away");
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = in.read(b, off, len);
                if (n < 0) {
                    throw new IOException("client went away");
                }
                return n;
            }
        };
    }

    @Test
    void aBodyFailingMidwayLeavesEarlierObjectsIntactAndItsRangeUnreferenced() throws IOException {
        VolumeObjectData d = gateway(options("gw1"));
        byte[] a = bytes(1, 1000);
        byte[] l = bytes(2, 3 * MIB);
        DataLocation la = put(d, a);
        DataLocation ll = put(d, l);
        long used = storage.usedBytes();

        assertThatThrownBy(() -> d.write(failingAfter(bytes(3, 5 * MIB / 2)), 6L * MIB))
                .isInstanceOf(IOException.class).hasMessageContaining("client went away");
        assertThatThrownBy(() -> d.write(failingAfter(bytes(4, 100)), 5000))
                .isInstanceOf(IOException.class);
        // The large body's partial bytes were trimmed again; the small one never reached storage.
        assertThat(storage.usedBytes()).isEqualTo(used);

        byte[] c = bytes(5, 777);
        DataLocation lc = put(d, c);
        assertThat(only(lc).offset()).isGreaterThanOrEqualTo(end(only(ll)) + CHUNK);
        assertThat(get(d, la)).isEqualTo(a);
        assertThat(get(d, ll)).isEqualTo(l);
        assertThat(get(d, lc)).isEqualTo(c);
    }

    @Test
    void aRestartedGatewayContinuesPastEveryReservation() throws IOException {
        VolumeObjectData first = gateway(options("gw1"));
        byte[] a = bytes(1, 2000);
        byte[] b = bytes(2, 2 * MIB);
        DataLocation la = put(first, a);
        DataLocation lb = put(first, b);
        String volume = only(la).volumeId();
        long mark = reservations.highWater(volume);
        assertThat(mark).isEqualTo(64L * MIB);
        first.close();

        VolumeObjectData second = gateway(options("gw1"));
        byte[] c = bytes(3, 3000);
        DataLocation lc = put(second, c);
        assertThat(only(lc).volumeId()).isEqualTo(volume);
        assertThat(only(lc).offset()).isEqualTo(mark);
        assertThat(reservations.highWater(volume)).isEqualTo(mark + 64L * MIB);
        assertThat(get(second, la)).isEqualTo(a);
        assertThat(get(second, lb)).isEqualTo(b);
        assertThat(get(second, lc)).isEqualTo(c);
    }

    @Test
    void aCrashedGatewaysSuccessorFencesItAndWritesPastItsReservations() throws IOException {
        VolumeObjectData crashed = gateway(options("gw1"));
        byte[] a = bytes(1, 2000);
        DataLocation la = put(crashed, a);
        String volume = only(la).volumeId();
        // The old process stops renewing; its lease runs out, but it has not noticed.
        storage.catalog.expire(volume);

        VolumeObjectData successor = gateway(options("gw1"));
        byte[] c = bytes(3, 3000);
        DataLocation lc = put(successor, c);
        assertThat(only(lc).volumeId()).isEqualTo(volume);
        assertThat(only(lc).offset()).isGreaterThanOrEqualTo(64L * MIB);

        // The old one still holds part of its reservation, but every replica refuses its epoch.
        assertThatThrownBy(() -> put(crashed, bytes(4, 5000))).isInstanceOf(IOException.class);
        assertThat(get(successor, la)).isEqualTo(a);
        assertThat(get(successor, lc)).isEqualTo(c);
    }

    @Test
    void aRestartedGatewayWhoseVolumeAnotherHolderHoldsStartsANewOne() throws IOException {
        VolumeDataOptions o = options("gw1");
        VolumeObjectData first = new VolumeObjectData(storage.volumes(storage.client(), "node-a"), reservations, o);
        gateways.add(first);
        byte[] a = bytes(1, 2000);
        DataLocation la = put(first, a);

        // The same gateway started elsewhere while the first one's lease is still live.
        VolumeObjectData moved = new VolumeObjectData(storage.volumes(storage.client(), "node-b"), reservations, o);
        gateways.add(moved);
        byte[] b = bytes(2, 3000);
        DataLocation lb = put(moved, b);
        assertThat(only(lb).volumeId()).isNotEqualTo(only(la).volumeId());
        assertThat(only(lb).offset()).isZero();
        assertThat(reservations.activeVolume("gw1")).hasValue(only(lb).volumeId());
        assertThat(get(moved, la)).isEqualTo(a);
        assertThat(get(moved, lb)).isEqualTo(b);
    }

    @Test
    void releasingFreesTheBlocksOfLargeAndPackedObjectsAlike() throws Exception {
        VolumeObjectData d = gateway(options("gw1"));
        byte[] a = bytes(1, 3000);
        byte[] b = bytes(2, 6000);
        DataLocation la = put(d, a);
        DataLocation lb = put(d, b);
        DataLocation large = put(d, bytes(3, 20 * MIB));
        long used = storage.usedBytes();
        long trimmed = storage.bytesTrimmed();

        d.release(large);
        d.settle();
        assertThat(storage.usedBytes()).isEqualTo(used - 20L * MIB * StorageFixture.REPLICAS);
        assertThat(storage.bytesTrimmed() - trimmed).isEqualTo(20L * MIB * StorageFixture.REPLICAS);
        assertThat(d.usage()).isEqualTo(new VolumeObjectData.Usage(20L * MIB, 0));

        // A packed object frees its own block and nothing of its neighbour's.
        d.release(la);
        d.settle();
        assertThat(d.usage()).isEqualTo(new VolumeObjectData.Usage(20L * MIB + 3000, 0));
        assertThat(storage.usedBytes()).isEqualTo(used - (20L * MIB + 4096) * StorageFixture.REPLICAS);
        assertThat(get(d, lb)).isEqualTo(b);
    }

    @Test
    void aReleasedRangeStaysReadableForTheGracePeriodAndCloseTrimsIt() throws Exception {
        VolumeObjectData d = gateway(options("gw1").withReleaseGrace(java.time.Duration.ofHours(1)));
        byte[] big = bytes(11, 5 * MIB);
        DataLocation loc = put(d, big);
        long used = storage.usedBytes();
        try (InputStream reading = d.open(loc, 0, big.length)) {
            byte[] first = reading.readNBytes(MIB);
            // Overwritten meanwhile: the GET that began on this version still reads all of it.
            d.release(loc);
            byte[] rest = reading.readAllBytes();
            assertThat(first).isEqualTo(Arrays.copyOfRange(big, 0, MIB));
            assertThat(rest).isEqualTo(Arrays.copyOfRange(big, MIB, big.length));
        }
        assertThat(d.usage()).isEqualTo(new VolumeObjectData.Usage(0, 0));
        assertThat(storage.usedBytes()).isEqualTo(used);

        // Closing applies what is still waiting, grace or not.
        gateways.remove(d);
        d.close();
        assertThat(d.usage()).isEqualTo(new VolumeObjectData.Usage(5L * MIB, 0));
        assertThat(storage.usedBytes()).isEqualTo(used - 5L * MIB * StorageFixture.REPLICAS);
    }

    @Test
    void anotherGatewayReadsThroughReadOnlyHandles() throws Exception {
        VolumeObjectData writer = gateway(options("gw1"));
        VolumeObjectData reader = gateway(options("gw2"));
        byte[] a = bytes(1, 1000);
        byte[] l = bytes(2, 3 * MIB);
        DataLocation la = put(writer, a);
        DataLocation ll = put(writer, l);
        assertThat(get(reader, la)).isEqualTo(a);
        assertThat(get(reader, ll)).isEqualTo(l);

        // Written after the reader cached its handle, into chunks its layout has not seen yet.
        byte[] m = bytes(3, 5 * MIB);
        byte[] s = bytes(4, 10_000);
        DataLocation lm = put(writer, m);
        DataLocation ls = put(writer, s);
        assertThat(get(reader, lm)).isEqualTo(m);
        assertThat(get(reader, ls)).isEqualTo(s);

        // The reader does not write that volume: it only counts what it releases there.
        reader.release(ll);
        reader.settle();
        assertThat(reader.usage()).isEqualTo(new VolumeObjectData.Usage(0, 3L * MIB));
        assertThat(get(writer, ll)).isEqualTo(l);

        DataLocation own = put(reader, bytes(5, 10));
        assertThat(only(own).volumeId()).isNotEqualTo(only(la).volumeId());
        assertThat(get(writer, own)).isEqualTo(bytes(5, 10));
    }

    @Test
    void aFullVolumeIsFollowedByTheNext() throws IOException {
        VolumeObjectData d = gateway(options("gw1").withReservationStep(2L * MIB).withVolumeSize(8L * MIB));
        byte[] first = bytes(1, 6 * MIB);
        DataLocation lf = put(d, first);
        byte[] split = bytes(2, 5 * MIB);
        DataLocation ls = put(d, split);
        assertThat(ls.segments()).hasSize(2);
        assertThat(ls.segments().get(0).volumeId()).isEqualTo(only(lf).volumeId());
        assertThat(ls.segments().get(0).length()).isEqualTo(2L * MIB);
        assertThat(ls.segments().get(1).volumeId()).isNotEqualTo(only(lf).volumeId());
        assertThat(ls.segments().get(1).offset()).isZero();

        List<DataLocation> packed = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            packed.add(put(d, bytes(10 + i, 900 * 1024)));
        }
        Set<String> volumes = new HashSet<>();
        packed.forEach(p -> volumes.add(only(p).volumeId()));
        assertThat(volumes).hasSizeGreaterThanOrEqualTo(2);
        for (int i = 0; i < packed.size(); i++) {
            assertThat(end(only(packed.get(i)))).isLessThanOrEqualTo(8L * MIB);
            assertThat(get(d, packed.get(i))).isEqualTo(bytes(10 + i, 900 * 1024));
        }
        assertThat(reservations.activeVolume("gw1")).hasValue(only(packed.getLast()).volumeId());
        assertThat(get(d, lf)).isEqualTo(first);
        assertThat(get(d, ls)).isEqualTo(split);
        try (InputStream in = d.open(ls, 2L * MIB - 10, 20)) {
            assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(split, 2 * MIB - 10, 2 * MIB + 10));
        }
    }
}
