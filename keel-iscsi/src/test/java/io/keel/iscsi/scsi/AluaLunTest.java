package io.keel.iscsi.scsi;

import static io.keel.iscsi.scsi.ScsiTesting.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A LUN of a three-node target group, seen from node 1 (group 1, relative port 1). */
class AluaLunTest {
    private static final ScsiRequest.Nexus A = new ScsiRequest.Nexus("iqn.a,i,0x000000000001", 1);
    private static final TargetPorts PORTS = TargetPorts.onePerGroup(1, List.of(1, 2, 3));
    private MemoryLun backend;
    private LogicalUnit unit;

    @BeforeEach
    void setUp() {
        backend = new MemoryLun(1024, 512);
        unit = new LogicalUnit(new LunSpec("memory-lun", 1024 * 512, 512), PORTS, StoredReservations.inMemory());
    }

    private ScsiResult run(byte[] cdb) {
        return ScsiTesting.run(unit, A, cdb);
    }

    private static int state(byte[] rtpg, int descriptorAt) {
        return rtpg[descriptorAt] & 0x0f;
    }

    @Test
    void standbyAnswersInquiriesAndRefusesMediaWithNotReadyStandby() {
        assertThat(unit.state()).isInstanceOf(PathState.Standby.class);
        byte[] std = run(cdb(0x12, 0, 0, 0, 96)).data();
        assertThat(std[5] & 0x30).isEqualTo(0x10); // TPGS 01b: implicit ALUA
        assertGood(run(cdb(0x12, 1, 0x83, 0, 255)));
        assertGood(run(cdb(0x1a, 0, 0x3f, 0, 255))); // MODE SENSE
        assertGood(run(RTPG));
        assertGood(run(prIn(0)));
        for (byte[] media : List.of(TUR, READ_CAPACITY_10, read16(0, 1), write16(0, 1),
                cdb(0x9e, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32), cdb(0x35))) {
            assertSense(run(media), Sense.NOT_READY, 0x04, 0x0b);
        }
        // REQUEST SENSE tells why, as data.
        byte[] sense = run(cdb(0x03, 0, 0, 0, 18)).data();
        assertThat(sense[2] & 0x0f).isEqualTo(Sense.NOT_READY);
        assertThat(sense[13]).isEqualTo((byte) 0x0b);
    }

    @Test
    void modeSenseInStandbyReportsTheConfiguredCapacity() {
        byte[] mode = run(cdb(0x1a, 0, 0x08, 0, 255)).data();
        assertThat(mode[3]).isEqualTo((byte) 8); // a block descriptor
        assertThat(ByteBuffer.wrap(mode).getInt(4)).isEqualTo(1024);
        assertThat(ByteBuffer.wrap(mode).getInt(8) & 0xffffff).isEqualTo(512);
    }

    @Test
    void vpd83CarriesTheNaaThenThisNodesPortAndGroup() {
        TargetPorts node2 = TargetPorts.onePerGroup(2, List.of(1, 2, 3));
        LogicalUnit other = new LogicalUnit(new LunSpec("memory-lun", 1024 * 512, 512), node2,
                StoredReservations.inMemory());
        byte[] here = run(cdb(0x12, 1, 0x83, 0, 255)).data();
        byte[] there = ScsiTesting.run(other, A, cdb(0x12, 1, 0x83, 0, 255)).data();
        // Designators: NAA (12 bytes), T10 vendor id (4 + 24), relative target port, target port group.
        assertThat(here[5] & 0x3f).isEqualTo(0x03);
        assertThat(java.util.Arrays.copyOfRange(here, 4, 16)).isEqualTo(java.util.Arrays.copyOfRange(there, 4, 16));
        int rel = 16 + 4 + 24;
        assertThat(HexFormat.of().formatHex(here, rel, rel + 16)).isEqualTo("51940004000000015195000400000001");
        assertThat(HexFormat.of().formatHex(there, rel, rel + 16)).isEqualTo("51940004000000025195000400000002");
    }

    @Test
    void reportTargetPortGroupsFollowsTheLocalStateAndTheActiveGroup() {
        // Nobody knows the active path: the others are unavailable.
        byte[] r = run(RTPG).data();
        assertThat(HexFormat.of().formatHex(r)).isEqualTo("00000024"
                + "028d000100000001" + "00000001"
                + "038d000200000001" + "00000002"
                + "038d000300000001" + "00000003");
        unit.activeGroup(OptionalInt.of(2));
        r = run(RTPG).data();
        // The state change is a unit attention first.
        assertThat(r).isEmpty();
        r = run(RTPG).data();
        assertThat(state(r, 4)).isEqualTo(AluaState.STANDBY.code());
        assertThat(state(r, 16)).isEqualTo(AluaState.ACTIVE_OPTIMIZED.code());
        assertThat(state(r, 28)).isEqualTo(AluaState.STANDBY.code());
        byte[] extended = run(RTPG_EXTENDED).data();
        assertThat(ByteBuffer.wrap(extended).getInt(0)).isEqualTo(40);
        assertThat(extended[4]).isEqualTo((byte) 0x10);
        assertThat(extended[5]).isEqualTo((byte) PortGroups.IMPLICIT_TRANSITION_SECONDS);
        assertThat(java.util.Arrays.copyOfRange(extended, 8, extended.length))
                .isEqualTo(java.util.Arrays.copyOfRange(r, 4, r.length));
        assertSense(run(cdb(0xa3, 0x4a, 0, 0, 0, 0, 0, 0, 4, 0)), Sense.ILLEGAL_REQUEST, 0x24, 0); // format 2
        assertThatThrownBy(() -> unit.activeGroup(OptionalInt.of(9))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void activateServesIoAndRaisesAsymmetricAccessStateChanged() {
        assertSense(run(TUR), Sense.NOT_READY, 0x04, 0x0b); // A is now a nexus of this LUN
        assertThat(unit.activate(backend)).isEmpty();
        assertSense(run(TUR), Sense.UNIT_ATTENTION, 0x2a, 0x06);
        assertGood(run(TUR));
        byte[] data = new byte[512];
        data[0] = 42;
        assertGood(ScsiTesting.run(unit, A, write16(3, 1), data));
        assertThat(run(read16(3, 1)).data()[0]).isEqualTo((byte) 42);
        byte[] r = run(RTPG).data();
        assertThat(state(r, 4)).isEqualTo(AluaState.ACTIVE_OPTIMIZED.code());
        assertThat(state(r, 16)).isEqualTo(AluaState.STANDBY.code());
        assertThat(unit.portGroups().activeGroup()).hasValue(1);

        assertThat(unit.standby()).containsSame(backend);
        assertSense(run(read16(3, 1)), Sense.UNIT_ATTENTION, 0x2a, 0x06);
        assertSense(run(read16(3, 1)), Sense.NOT_READY, 0x04, 0x0b);
        assertThat(unit.standby()).isEmpty();
    }

    @Test
    void transitioningAndUnavailableRefuseAlmostEverything() {
        unit.transitioning();
        assertSense(run(TUR), Sense.NOT_READY, 0x04, 0x0a);
        assertSense(run(cdb(0x1a, 0, 0x3f, 0, 255)), Sense.NOT_READY, 0x04, 0x0a); // no MODE SENSE
        assertGood(run(cdb(0x12, 0, 0, 0, 36)));
        assertThat(state(run(RTPG).data(), 4)).isEqualTo(AluaState.TRANSITIONING.code());
        unit.unavailable();
        assertSense(run(TUR), Sense.UNIT_ATTENTION, 0x2a, 0x06);
        assertSense(run(TUR), Sense.NOT_READY, 0x04, 0x0c);
        assertSense(run(prIn(0)), Sense.NOT_READY, 0x04, 0x0c);
        assertThat(state(run(RTPG).data(), 4)).isEqualTo(AluaState.UNAVAILABLE.code());
    }

    @Test
    void aMismatchedBackendIsRefusedAndChangesNothing() {
        assertThatThrownBy(() -> unit.activate(new MemoryLun(1024, 4096))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> unit.activate(new MemoryLun(512, 512))).isInstanceOf(IllegalArgumentException.class);
        assertThat(unit.state()).isInstanceOf(PathState.Standby.class);
        assertSense(run(TUR), Sense.NOT_READY, 0x04, 0x0b);
    }

    @Test
    void resizeRaisesCapacityDataHasChanged() {
        MemoryLun bigger = new MemoryLun(2048, 512);
        unit.activate(bigger);
        assertGood(run(TUR)); // A came after the activation: no unit attention for it
        unit.resize(2048 * 512);
        assertSense(run(READ_CAPACITY_10), Sense.UNIT_ATTENTION, 0x2a, 0x09);
        assertThat(ByteBuffer.wrap(run(READ_CAPACITY_10).data()).getInt(0)).isEqualTo(2047);
        assertGood(run(read16(2000, 1)));
        assertThat(unit.spec().size()).isEqualTo(2048 * 512);
        assertThatThrownBy(() -> unit.resize(4096 * 512)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> unit.resize(1000)).isInstanceOf(IllegalArgumentException.class);
        assertThat(unit.spec().size()).isEqualTo(2048 * 512);
    }

    @Test
    void standbyWaitsForTheCommandsStillUsingTheBackend() throws Exception {
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        MemoryLun slow = new MemoryLun(1024, 512) {
            @Override
            public synchronized void read(long offset, ByteBuffer dst) {
                reading.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                super.read(offset, dst);
            }
        };
        unit.activate(slow);
        CompletableFuture<ScsiResult> blocked = CompletableFuture.supplyAsync(() -> run(read16(0, 1)));
        assertThat(reading.await(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<?> standby = CompletableFuture.runAsync(unit::standby);
        Thread.sleep(200);
        assertThat(standby).isNotDone();
        release.countDown();
        assertGood(blocked.get(5, TimeUnit.SECONDS));
        standby.get(5, TimeUnit.SECONDS);
        assertThat(unit.state()).isInstanceOf(PathState.Standby.class);
    }
}
