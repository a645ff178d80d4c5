package io.keel.iscsi.scsi;

import static io.keel.iscsi.scsi.ScsiTesting.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes of a target group (node 1: group and relative port 1, node 2: 2), each with its own
 * LogicalUnit for the same volume, sharing one reservation store. Both are active here so the
 * reservations can be seen to block I/O on either.
 */
class StoredReservationsTest {
    private static final String HOST_A = "iqn.2026-12.io.keel:host-a,i,0x400000000001";
    private static final String HOST_B = "iqn.2026-12.io.keel:host-b,i,0x400000000002";
    /** Host A through node 1, host B through node 2, and host A's other path through node 2. */
    private static final ScsiRequest.Nexus A1 = new ScsiRequest.Nexus(HOST_A, 1);
    private static final ScsiRequest.Nexus B2 = new ScsiRequest.Nexus(HOST_B, 2);
    private static final ScsiRequest.Nexus A2 = new ScsiRequest.Nexus(HOST_A, 2);
    private static final ScsiRequest.Nexus B1 = new ScsiRequest.Nexus(HOST_B, 1);

    private InMemoryReservationStore store;
    private LogicalUnit node1;
    private LogicalUnit node2;

    @BeforeEach
    void setUp() {
        store = new InMemoryReservationStore();
        node1 = node(1, store);
        node2 = node(2, store);
    }

    private static LogicalUnit node(int group, ReservationStore store) {
        TargetPorts ports = TargetPorts.onePerGroup(group, List.of(1, 2));
        LogicalUnit u = new LogicalUnit(new LunSpec("memory-lun", 64 * 512, 512), ports,
                new StoredReservations(store, ports));
        u.activate(new MemoryLun(64, 512));
        return u;
    }

    private static ScsiResult out(LogicalUnit u, ScsiRequest.Nexus n, int action, int type, long key, long sark,
            int flags) {
        return run(u, n, prOut(action, type), params(key, sark, flags));
    }

    private static List<Long> keys(LogicalUnit u, ScsiRequest.Nexus n) {
        ByteBuffer b = ByteBuffer.wrap(run(u, n, prIn(0)).data());
        int count = b.getInt(4) / 8;
        List<Long> keys = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            keys.add(b.getLong(8 + 8 * i));
        }
        return keys;
    }

    @Test
    void aReservationTakenOnOneNodeBlocksTheOther() {
        assertGood(out(node1, A1, 0, 0, 0, 0xaa, 0));
        assertGood(out(node2, B2, 0, 0, 0, 0xbb, 0));
        assertThat(keys(node2, B2)).containsExactly(0xaaL, 0xbbL);
        assertGood(out(node1, A1, 1, PrState.EXCLUSIVE_ACCESS, 0xaa, 0, 0));
        assertThat(run(node2, B2, read16(0, 1)).status()).isEqualTo(ScsiStatus.RESERVATION_CONFLICT);
        assertGood(run(node1, A1, read16(0, 1)));
        // READ RESERVATION on node 2 shows node 1's holder's key and the type.
        byte[] res = run(node2, B2, prIn(1)).data();
        assertThat(ByteBuffer.wrap(res).getLong(8)).isEqualTo(0xaaL);
        assertThat(res[21]).isEqualTo((byte) PrState.EXCLUSIVE_ACCESS);
        // Host A's path through node 2 is another I_T nexus: not registered, so it conflicts too.
        assertThat(run(node2, A2, write16(0, 1), new byte[512]).status()).isEqualTo(ScsiStatus.RESERVATION_CONFLICT);
        // The generation counts registrations only (RESERVE leaves it).
        assertThat(ByteBuffer.wrap(res).getInt(0)).isEqualTo(2);
    }

    @Test
    void allTargetPortsRegistersThePathThroughTheOtherNode() {
        assertGood(out(node1, A1, 6, 0, 0, 0xaa, 0x04)); // REGISTER AND IGNORE EXISTING KEY, ALL_TG_PT
        assertGood(out(node2, B2, 0, 0, 0, 0xbb, 0));
        assertGood(out(node2, B2, 1, PrState.WRITE_EXCLUSIVE_REGISTRANTS_ONLY, 0xbb, 0, 0));
        // A's path through node 2 is registered, so registrants-only lets it write.
        assertGood(run(node2, A2, write16(0, 1), new byte[512]));
        assertThat(run(node1, B1, write16(0, 1), new byte[512]).status())
                .isEqualTo(ScsiStatus.RESERVATION_CONFLICT);
        byte[] full = run(node2, B2, prIn(3)).data();
        assertThat(ByteBuffer.wrap(full).getInt(4)).isEqualTo(3 * (24 + 4 + 44)); // A1, A2, B2
        assertThat(full[8 + 18 + 1]).isEqualTo((byte) 1); // first descriptor: relative port 1
        // Unregistering through either path drops both (they were registered as one).
        assertGood(out(node2, A2, 0, 0, 0xaa, 0, 0));
        assertThat(keys(node1, A1)).containsExactly(0xbbL);
        byte[] caps = run(node1, A1, prIn(2)).data();
        assertThat(caps[2] & 0x05).isEqualTo(0x05); // ATP_C, PTPL_C
    }

    @Test
    void preemptionReachesTheRegistrantOnTheOtherNodeOnce() {
        assertGood(out(node1, A1, 0, 0, 0, 0xaa, 0));
        assertGood(out(node2, B2, 0, 0, 0, 0xbb, 0));
        assertGood(out(node1, A1, 1, PrState.WRITE_EXCLUSIVE, 0xaa, 0, 0));
        assertGood(out(node2, B2, 4, PrState.EXCLUSIVE_ACCESS, 0xbb, 0xaa, 0)); // PREEMPT
        assertSense(run(node1, A1, TUR), Sense.UNIT_ATTENTION, 0x2a, 0x05);
        assertGood(run(node1, A1, TUR));
        assertThat(run(node1, A1, read16(0, 1)).status()).isEqualTo(ScsiStatus.RESERVATION_CONFLICT);
        assertGood(run(node2, B2, write16(0, 1), new byte[512]));
        assertThat(((StoredReservations) node1.reservations()).state().attentions()).isEmpty();
    }

    @Test
    void clearAndReleaseTellTheOtherRegistrants() {
        assertGood(out(node1, A1, 0, 0, 0, 0xaa, 0));
        assertGood(out(node2, B2, 0, 0, 0, 0xbb, 0));
        assertGood(out(node1, A1, 1, PrState.EXCLUSIVE_ACCESS_REGISTRANTS_ONLY, 0xaa, 0, 0));
        assertGood(out(node1, A1, 2, PrState.EXCLUSIVE_ACCESS_REGISTRANTS_ONLY, 0xaa, 0, 0)); // RELEASE
        ScsiResult r = run(node2, B2, cdb(0x03, 0, 0, 0, 18)); // REQUEST SENSE reports it as data
        assertThat(r.data()[12]).isEqualTo((byte) 0x2a);
        assertThat(r.data()[13]).isEqualTo((byte) 0x04);
        assertGood(out(node2, B2, 3, 0, 0xbb, 0, 0)); // CLEAR
        assertSense(run(node1, A1, TUR), Sense.UNIT_ATTENTION, 0x2a, 0x03);
        assertThat(keys(node1, A1)).isEmpty();
        // Releasing with the wrong type is an error and releases nothing.
        assertGood(out(node1, A1, 0, 0, 0, 0xaa, 0));
        assertGood(out(node1, A1, 1, PrState.WRITE_EXCLUSIVE, 0xaa, 0, 0));
        assertSense(out(node1, A1, 2, PrState.EXCLUSIVE_ACCESS, 0xaa, 0, 0), Sense.ILLEGAL_REQUEST, 0x26, 0x04);
        assertThat(((StoredReservations) node2.reservations()).state().reservation()).isPresent();
    }

    @Test
    void aLostRaceIsRecomputedOnTheLatestState() {
        AtomicInteger replaces = new AtomicInteger();
        ReservationStore racy = new ReservationStore() {
            @Override
            public Optional<Stored> load() {
                return store.load();
            }

            @Override
            public boolean replace(long expectedVersion, String state) {
                if (replaces.getAndIncrement() == 0) {
                    // Another node registers between our load and our write.
                    assertGood(out(node2, B2, 0, 0, 0, 0xbb, 0));
                }
                return store.replace(expectedVersion, state);
            }
        };
        LogicalUnit racing = node(1, racy);
        assertGood(out(racing, A1, 0, 0, 0, 0xaa, 0));
        assertThat(replaces.get()).isEqualTo(2);
        assertThat(keys(node1, A1)).containsExactlyInAnyOrder(0xaaL, 0xbbL);
        assertThat(((StoredReservations) node1.reservations()).state().generation()).isEqualTo(2);
    }

    @Test
    void concurrentRegistrationsOnBothNodesAllLand() throws Exception {
        // Two "nodes" race through compare-and-set on one store: none of the updates may be lost.
        int each = 40;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        List<java.util.concurrent.Future<ScsiResult>> results = new java.util.ArrayList<>();
        for (int i = 0; i < each; i++) {
            for (int node = 1; node <= 2; node++) {
                LogicalUnit u = node == 1 ? node1 : node2;
                ScsiRequest.Nexus n = new ScsiRequest.Nexus("iqn.2026-12.io.keel:c" + i + ",i,0x1", node);
                long key = node * 1000L + i;
                results.add(pool.submit(() -> out(u, n, 0, 0, 0, key, 0)));
            }
        }
        for (java.util.concurrent.Future<ScsiResult> f : results) {
            assertGood(f.get());
        }
        pool.shutdown();
        assertThat(keys(node1, A1)).hasSize(2 * each);
        assertThat(((StoredReservations) node2.reservations()).state().generation()).isEqualTo(2 * each);
    }

    @Test
    void badParametersChangeNothing() {
        assertGood(out(node1, A1, 0, 0, 0, 0xaa, 0));
        long version = store.load().orElseThrow().version();
        assertSense(run(node1, A1, cdb(0x5f, 0, 0, 0, 0, 0, 0, 0, 20), new byte[20]), Sense.ILLEGAL_REQUEST, 0x1a, 0);
        assertSense(out(node1, A1, 0, 0, 0xaa, 0xcc, 0x08), Sense.ILLEGAL_REQUEST, 0x26, 0); // SPEC_I_PT
        assertSense(out(node1, A1, 7, 0, 0xaa, 0, 0), Sense.ILLEGAL_REQUEST, 0x24, 0); // REGISTER AND MOVE
        assertSense(out(node1, A1, 1, 2, 0xaa, 0, 0), Sense.ILLEGAL_REQUEST, 0x24, 0); // type 2
        assertSense(out(node1, A1, 4, 1, 0xaa, 0, 0), Sense.ILLEGAL_REQUEST, 0x26, 0); // preempt key 0
        assertThat(out(node1, A1, 1, 1, 0xab, 0, 0).status()).isEqualTo(ScsiStatus.RESERVATION_CONFLICT);
        assertThat(out(node2, B2, 0, 0, 0x77, 0xbb, 0).status()).isEqualTo(ScsiStatus.RESERVATION_CONFLICT);
        assertThat(store.load().orElseThrow().version()).isEqualTo(version);
        // APTPL is accepted and reported back.
        assertGood(out(node1, A1, 0, 0, 0xaa, 0xab, 0x01));
        assertThat(run(node1, A1, prIn(2)).data()[3] & 0x01).isEqualTo(1);
    }

    @Test
    void registrationsBeyondTheLimitAreRefused() {
        for (int i = 0; i < PrRules.MAX_REGISTRATIONS; i++) {
            ScsiRequest.Nexus n = new ScsiRequest.Nexus("iqn.2026-12.io.keel:h" + i + ",i,0x1", 1);
            assertGood(out(node1, n, 0, 0, 0, i + 1, 0));
        }
        ScsiRequest.Nexus one = new ScsiRequest.Nexus("iqn.2026-12.io.keel:one-too-many,i,0x1", 2);
        assertSense(out(node2, one, 0, 0, 0, 0x999, 0), Sense.ILLEGAL_REQUEST, 0x55, 0x04);
        assertThat(keys(node2, B2)).hasSize(PrRules.MAX_REGISTRATIONS);
    }

    @Test
    void anUnreadableStateFailsClosed() {
        store.replace(0, "{\"v\":99}");
        LogicalUnit fresh = node(1, store);
        assertSense(run(fresh, A1, prIn(0)), Sense.ABORTED_COMMAND, 0x44, 0);
        assertThat(run(fresh, A1, read16(0, 1)).status()).isEqualTo(ScsiStatus.RESERVATION_CONFLICT);
        assertGood(run(fresh, A1, cdb(0x12, 0, 0, 0, 36)));
    }

    @Test
    void theStoredStateRoundTripsAndRejectsMalformedText() {
        assertGood(out(node1, A1, 6, 0, 0, 0xfedcba9876543210L, 0x05));
        assertGood(out(node2, B2, 0, 0, 0, 0xbb, 0));
        assertGood(out(node2, B2, 1, PrState.WRITE_EXCLUSIVE, 0xbb, 0, 0));
        assertGood(out(node1, A1, 5, PrState.EXCLUSIVE_ACCESS, 0xfedcba9876543210L, 0xbb, 0)); // PREEMPT AND ABORT
        String text = store.load().orElseThrow().state();
        PrState s = PrStateCodec.decode(text);
        assertThat(PrStateCodec.encode(s)).isEqualTo(text);
        assertThat(s.registrations()).hasSize(2);
        assertThat(s.registrations().getFirst().key()).isEqualTo(0xfedcba9876543210L);
        assertThat(s.reservation().orElseThrow().type()).isEqualTo(PrState.EXCLUSIVE_ACCESS);
        // B lost its registration; A's own other path (registered through ALL_TG_PT) sees the type change.
        assertThat(s.attentions()).containsExactly(new PrState.Attention(PrState.ItNexus.of(B2), 0x2a, 0x05),
                new PrState.Attention(PrState.ItNexus.of(A2), 0x2a, 0x04));
        assertThat(s.aptpl()).isFalse(); // the last registration (B's) did not ask for it
        for (String bad : List.of("", "[]", "{\"v\":1}", text.replace("\"v\":1", "\"v\":2"),
                text.replace("fedcba9876543210", "xyz"), text.replace("\"t\":3", "\"t\":2"),
                text.replace("\"gen\":", "\"gen\":-"))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> PrStateCodec.decode(bad))
                    .as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
