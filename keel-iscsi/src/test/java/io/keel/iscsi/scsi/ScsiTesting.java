package io.keel.iscsi.scsi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;

/** CDB builders and sense assertions shared by the SCSI unit tests. */
final class ScsiTesting {
    private ScsiTesting() {}

    static byte[] cdb(int... b) {
        byte[] c = new byte[16];
        for (int i = 0; i < b.length; i++) {
            c[i] = (byte) b[i];
        }
        return c;
    }

    static byte[] read16(long lba, int blocks) {
        return ByteBuffer.allocate(16).put(0, (byte) 0x88).putLong(2, lba).putInt(10, blocks).array();
    }

    static byte[] write16(long lba, int blocks) {
        return ByteBuffer.allocate(16).put(0, (byte) 0x8a).putLong(2, lba).putInt(10, blocks).array();
    }

    static final byte[] TUR = cdb(0x00);
    static final byte[] READ_CAPACITY_10 = cdb(0x25);
    static final byte[] RTPG = cdb(0xa3, 0x0a, 0, 0, 0, 0, 0, 0, 4, 0);
    static final byte[] RTPG_EXTENDED = cdb(0xa3, 0x2a, 0, 0, 0, 0, 0, 0, 4, 0);

    /** PERSISTENT RESERVE OUT with a 24-byte parameter list. */
    static byte[] prOut(int action, int type) {
        return cdb(0x5f, action, type, 0, 0, 0, 0, 0, 24);
    }

    static byte[] prIn(int action) {
        return cdb(0x5e, action, 0, 0, 0, 0, 0, 0x10, 0);
    }

    static byte[] params(long key, long sark, int flags) {
        return ByteBuffer.allocate(24).putLong(0, key).putLong(8, sark).put(20, (byte) flags).array();
    }

    static ScsiResult run(LogicalUnit unit, ScsiRequest.Nexus n, byte[] cdb, byte[] data) {
        return unit.execute(new ScsiRequest(n, cdb, data, Math.max(data.length, 4096)));
    }

    static ScsiResult run(LogicalUnit unit, ScsiRequest.Nexus n, byte[] cdb) {
        return run(unit, n, cdb, new byte[0]);
    }

    static void assertSense(ScsiResult r, int key, int asc, int ascq) {
        assertThat(r.status()).as("status").isEqualTo(ScsiStatus.CHECK_CONDITION);
        assertThat(r.sense()[2] & 0x0f).as("sense key").isEqualTo(key);
        assertThat(r.sense()[12] & 0xff).as("ASC").isEqualTo(asc);
        assertThat(r.sense()[13] & 0xff).as("ASCQ").isEqualTo(ascq);
    }

    static void assertGood(ScsiResult r) {
        assertThat(r.status()).as("status, sense %s", java.util.HexFormat.of().formatHex(r.sense()))
                .isEqualTo(ScsiStatus.GOOD);
    }
}
