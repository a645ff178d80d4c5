package io.keel.iscsi.scsi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LogicalUnitTest {
    private static final ScsiRequest.Nexus A = new ScsiRequest.Nexus("iqn.a,i,0x000000000001", 1);
    private static final ScsiRequest.Nexus B = new ScsiRequest.Nexus("iqn.b,i,0x000000000002", 1);
    private MemoryLun lun;
    private LogicalUnit unit;

    @BeforeEach
    void setUp() {
        lun = new MemoryLun(1024, 512);
        unit = new LogicalUnit(lun, StoredReservations.inMemory());
    }

    private static byte[] cdb(int... b) {
        byte[] c = new byte[16];
        for (int i = 0; i < b.length; i++) {
            c[i] = (byte) b[i];
        }
        return c;
    }

    private ScsiResult run(byte[] cdb, byte[] data) {
        return unit.execute(new ScsiRequest(A, cdb, data, data.length));
    }

    private ScsiResult run(ScsiRequest.Nexus n, byte[] cdb, byte[] data) {
        return unit.execute(new ScsiRequest(n, cdb, data, data.length));
    }

    private static void assertSense(ScsiResult r, int key, int asc, int ascq) {
        assertThat(r.status()).isEqualTo(ScsiStatus.CHECK_CONDITION);
        assertThat(r.sense()[0] & 0x7f).isEqualTo(0x70);
        assertThat(r.sense()[2] & 0x0f).isEqualTo(key);
        assertThat(r.sense()[12] & 0xff).isEqualTo(asc);
        assertThat(r.sense()[13] & 0xff).isEqualTo(ascq);
    }

    private static byte[] read16(long lba, int blocks) {
        ByteBuffer b = ByteBuffer.allocate(16).put(0, (byte) 0x88).putLong(2, lba).putInt(10, blocks);
        return b.array();
    }

    private static byte[] write16(long lba, int blocks) {
        return ByteBuffer.allocate(16).put(0, (byte) 0x8a).putLong(2, lba).putInt(10, blocks).array();
    }

    @Test
    void writeThenReadEveryCdbSize() {
        byte[] data = new byte[1024];
        Arrays.fill(data, (byte) 0x5a);
        assertThat(run(cdb(0x2a, 0, 0, 0, 0, 10, 0, 0, 2), data).status()).isZero(); // WRITE 10
        assertThat(run(cdb(0x28, 0, 0, 0, 0, 10, 0, 0, 2), new byte[0]).data()).isEqualTo(data); // READ 10
        assertThat(run(cdb(0xa8, 0, 0, 0, 0, 10, 0, 0, 0, 2), new byte[0]).data()).isEqualTo(data); // READ 12
        assertThat(run(read16(10, 2), new byte[0]).data()).isEqualTo(data);
        assertThat(run(cdb(0x08, 0, 0, 10, 2, 0), new byte[0]).data()).isEqualTo(data); // READ 6
        assertThat(run(cdb(0x08, 0, 0, 0, 0, 0), new byte[0]).data()).hasSize(256 * 512); // 0 means 256
        assertThat(Arrays.copyOfRange(lun.bytes, 5120, 6144)).isEqualTo(data);
    }

    @Test
    void outOfRangeLbasAreRefused() {
        assertSense(run(read16(1023, 2), new byte[0]), Sense.ILLEGAL_REQUEST, 0x21, 0);
        assertSense(run(read16(-1, 1), new byte[0]), Sense.ILLEGAL_REQUEST, 0x21, 0);
        assertSense(run(write16(1024, 1), new byte[512]), Sense.ILLEGAL_REQUEST, 0x21, 0);
        assertSense(run(cdb(0x35, 0, 0, 0, 0x04, 0, 0, 0, 1), new byte[0]), Sense.ILLEGAL_REQUEST, 0x21, 0);
        assertThat(run(read16(1024, 0), new byte[0]).status()).isZero(); // zero blocks at the end is fine
    }

    @Test
    void unknownOpcodesAndBadFields() {
        ScsiResult r = run(cdb(0xc7), new byte[0]);
        assertSense(r, Sense.ILLEGAL_REQUEST, 0x20, 0);
        assertThat(r.sense()[15] & 0xff).isEqualTo(0xc0); // SKSV, C/D: field pointer into the CDB
        assertSense(run(cdb(0x12, 0, 0x80, 0, 255), new byte[0]), Sense.ILLEGAL_REQUEST, 0x24, 0); // page w/o EVPD
        assertSense(run(cdb(0x12, 1, 0x42, 0, 255), new byte[0]), Sense.ILLEGAL_REQUEST, 0x24, 0); // unknown VPD
        assertSense(run(cdb(0x28, 0x20, 0, 0, 0, 0, 0, 0, 1), new byte[0]), Sense.ILLEGAL_REQUEST, 0x24, 0); // RDPROTECT
        assertSense(run(cdb(0x9e, 0x1f, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32), new byte[0]), Sense.ILLEGAL_REQUEST, 0x24, 0);
        assertSense(run(cdb(0x1a, 0, 0xc8, 0, 255), new byte[0]), Sense.ILLEGAL_REQUEST, 0x39, 0); // saved values
    }

    @Test
    void inquiryPagesAndCapacity() {
        byte[] std = run(cdb(0x12, 0, 0, 0, 96), new byte[0]).data();
        assertThat(new String(std, 8, 8)).isEqualTo("KEEL    ");
        assertThat(std[5] & 0x30).isEqualTo(0x10); // implicit ALUA
        byte[] pages = run(cdb(0x12, 1, 0, 0, 255), new byte[0]).data();
        assertThat(Arrays.copyOfRange(pages, 4, pages.length)).containsExactly(0x00, 0x80, 0x83, 0xb0, 0xb1, 0xb2);
        byte[] ids = run(cdb(0x12, 1, 0x83, 0, 255), new byte[0]).data();
        assertThat(ids[4 + 1] & 0x0f).isEqualTo(3); // first designator: NAA
        assertThat((ids[8] >> 4) & 0xf).isEqualTo(3); // locally assigned NAA
        // Same volume id, same NAA: a second LUN object over the same storage answers alike.
        LogicalUnit again = new LogicalUnit(new MemoryLun(8, 512), Reservations.unsupported());
        assertThat(again.execute(new ScsiRequest(A, cdb(0x12, 1, 0x83, 0, 255), new byte[0], 255)).data())
                .isEqualTo(ids);
        byte[] lbp = run(cdb(0x12, 1, 0xb2, 0, 255), new byte[0]).data();
        assertThat(lbp[5] & 0xe4).isEqualTo(0xe4);
        assertThat(lbp[6] & 0x07).isEqualTo(2); // thin
        byte[] cap16 = run(cdb(0x9e, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32), new byte[0]).data();
        assertThat(ByteBuffer.wrap(cap16).getLong(0)).isEqualTo(1023);
        assertThat(ByteBuffer.wrap(cap16).getInt(8)).isEqualTo(512);
        byte[] cap10 = run(cdb(0x25), new byte[0]).data();
        assertThat(ByteBuffer.wrap(cap10).getInt(0)).isEqualTo(1023);
        assertThat(run(cdb(0x12, 0, 0, 0, 5), new byte[0]).data()).hasSize(5); // allocation length truncates
    }

    @Test
    void compareAndWriteIsAtomicCompare() {
        byte[] verifyAndWrite = new byte[1024];
        Arrays.fill(verifyAndWrite, 512, 1024, (byte) 7);
        byte[] caw = cdb(0x89, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 1);
        assertThat(run(caw, verifyAndWrite).status()).isZero();
        assertThat(lun.bytes[3 * 512]).isEqualTo((byte) 7);
        ScsiResult miss = run(caw, verifyAndWrite); // medium now holds 7s, compare data is zeros
        assertSense(miss, Sense.MISCOMPARE, 0x1d, 0);
        assertThat(miss.sense()[0] & 0x80).isEqualTo(0x80); // VALID: INFORMATION is the offset of the mismatch
        assertSense(run(cdb(0x89, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 9), new byte[9 * 1024]), Sense.ILLEGAL_REQUEST,
                0x24, 0);
    }

    @Test
    void unmapAndWriteSame() {
        Arrays.fill(lun.bytes, (byte) 1);
        ByteBuffer p = ByteBuffer.allocate(24).putShort(0, (short) 22).putShort(2, (short) 16).putLong(8, 4)
                .putInt(16, 2);
        assertThat(run(cdb(0x42, 0, 0, 0, 0, 0, 0, 0, 24), p.array()).status()).isZero();
        assertThat(lun.bytes[4 * 512]).isZero();
        assertThat(lun.bytes[6 * 512]).isEqualTo((byte) 1);
        p.putLong(8, 1023).putInt(16, 2);
        assertSense(run(cdb(0x42, 0, 0, 0, 0, 0, 0, 0, 24), p.array()), Sense.ILLEGAL_REQUEST, 0x21, 0);
        assertSense(run(cdb(0x42, 0, 0, 0, 0, 0, 0, 0, 4), new byte[4]), Sense.ILLEGAL_REQUEST, 0x1a, 0);

        byte[] block = new byte[512];
        Arrays.fill(block, (byte) 9);
        assertThat(run(cdb(0x41, 0, 0, 0, 0, 100, 0, 0, 3), block).status()).isZero(); // WRITE SAME 10
        assertThat(lun.bytes[102 * 512 + 511]).isEqualTo((byte) 9);
        assertSense(run(cdb(0x41, 0, 0, 0, 0, 100, 0, 0, 0), block), Sense.ILLEGAL_REQUEST, 0x24, 0); // WSNZ
        byte[] ws16Unmap = ByteBuffer.allocate(16).put(0, (byte) 0x93).put(1, (byte) 0x08).putLong(2, 100)
                .putInt(10, 3).array();
        assertThat(run(ws16Unmap, new byte[512]).status()).isZero();
        assertThat(lun.bytes[101 * 512]).isZero();
    }

    @Test
    void readOnlyLunRefusesWrites() {
        lun.readOnly = true;
        assertSense(run(write16(0, 1), new byte[512]), Sense.DATA_PROTECT, 0x27, 0);
        byte[] mode = run(cdb(0x1a, 0, 0x3f, 0, 255), new byte[0]).data();
        assertThat(mode[2] & 0x80).isEqualTo(0x80);
    }

    @Test
    void persistentReservationsExcludeOthers() {
        byte[] register = ByteBuffer.allocate(24).putLong(8, 0xaaL).array();
        byte[] registerB = ByteBuffer.allocate(24).putLong(8, 0xbbL).array();
        byte[] prOut = cdb(0x5f, 0, 0, 0, 0, 0, 0, 0, 24);
        assertThat(run(A, prOut, register).status()).isZero();
        assertThat(run(B, prOut, registerB).status()).isZero();
        byte[] reserveEa = cdb(0x5f, 1, 3, 0, 0, 0, 0, 0, 24);
        assertThat(run(A, reserveEa, ByteBuffer.allocate(24).putLong(0, 0xaaL).array()).status()).isZero();
        assertThat(run(B, read16(0, 1), new byte[0]).status()).isEqualTo(ScsiStatus.RESERVATION_CONFLICT);
        assertThat(run(A, read16(0, 1), new byte[0]).status()).isZero();
        assertThat(run(B, cdb(0x12, 0, 0, 0, 36), new byte[0]).status()).isZero(); // INQUIRY always allowed
        byte[] keys = run(B, cdb(0x5e, 0, 0, 0, 0, 0, 0, 0, 255), new byte[0]).data();
        assertThat(ByteBuffer.wrap(keys).getInt(4)).isEqualTo(16);
        // B preempts A's reservation and registration.
        byte[] preempt = ByteBuffer.allocate(24).putLong(0, 0xbbL).putLong(8, 0xaaL).array();
        assertThat(run(B, cdb(0x5f, 4, 1, 0, 0, 0, 0, 0, 24), preempt).status()).isZero();
        // A learns it lost its registration first (REGISTRATIONS PREEMPTED), then meets the reservation.
        assertSense(run(A, write16(0, 1), new byte[512]), Sense.UNIT_ATTENTION, 0x2a, 0x05);
        assertThat(run(A, write16(0, 1), new byte[512]).status()).isEqualTo(ScsiStatus.RESERVATION_CONFLICT);
        assertThat(run(A, read16(0, 1), new byte[0]).status()).isZero(); // WRITE EXCLUSIVE lets others read
        // A wrong key is a conflict; a bad parameter list length is an error.
        assertThat(run(A, reserveEa, ByteBuffer.allocate(24).putLong(0, 0xaaL).array()).status())
                .isEqualTo(ScsiStatus.RESERVATION_CONFLICT);
        assertSense(run(A, cdb(0x5f, 0, 0, 0, 0, 0, 0, 0, 20), new byte[20]), Sense.ILLEGAL_REQUEST, 0x1a, 0);
    }

    @Test
    void lunsRouteAndReport() {
        Luns luns = new Luns(Map.of(0, unit, 3, new LogicalUnit(new MemoryLun(8, 4096),
                Reservations.unsupported())));
        byte[] report = luns.execute(0, new ScsiRequest(A, cdb(0xa0, 0, 0, 0, 0, 0, 0, 0, 1, 0), new byte[0], 256))
                .data();
        assertThat(ByteBuffer.wrap(report).getInt(0)).isEqualTo(16);
        assertThat(ByteBuffer.wrap(report).getLong(16)).isEqualTo(Luns.encode(3));
        ScsiResult missing = luns.execute(Luns.encode(9), new ScsiRequest(A, read16(0, 1), new byte[0], 512));
        assertSense(missing, Sense.ILLEGAL_REQUEST, 0x25, 0);
        byte[] inq = luns.execute(Luns.encode(9), new ScsiRequest(A, cdb(0x12, 0, 0, 0, 36), new byte[0], 36)).data();
        assertThat(inq[0] & 0xff).isEqualTo(0x7f);
        assertThat(Luns.decode(Luns.encode(300))).isEqualTo(300);
        assertThat(Luns.decode(0x0001000000000001L)).isEqualTo(-1);
    }

    @Test
    void lunResetRaisesAUnitAttentionOnEveryNexusOnce() {
        assertThat(run(A, cdb(0x00), new byte[0]).status()).isZero();
        assertThat(run(B, cdb(0x00), new byte[0]).status()).isZero();
        unit.reset(false);
        assertSense(run(A, cdb(0x00), new byte[0]), Sense.UNIT_ATTENTION, 0x29, 0x03);
        assertThat(run(A, cdb(0x00), new byte[0]).status()).isZero();
        assertThat(run(B, cdb(0x12, 0, 0, 0, 36), new byte[0]).status()).isZero(); // INQUIRY passes by
        byte[] sense = run(B, cdb(0x03, 0, 0, 0, 18), new byte[0]).data(); // REQUEST SENSE reports it
        assertThat(sense[2] & 0x0f).isEqualTo(Sense.UNIT_ATTENTION);
        assertThat(run(B, cdb(0x00), new byte[0]).status()).isZero();
    }

    @Test
    void reportTargetPortGroups() {
        byte[] tpg = run(cdb(0xa3, 0x0a, 0, 0, 0, 0, 0, 0, 1, 0), new byte[0]).data();
        assertThat(ByteBuffer.wrap(tpg).getInt(0)).isEqualTo(12);
        assertThat(tpg[4] & 0x0f).isEqualTo(AluaState.ACTIVE_OPTIMIZED.code());
        assertThat(ByteBuffer.wrap(tpg).getShort(6)).isEqualTo((short) 1);
    }
}
