package io.keel.iscsi.scsi;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** INQUIRY: standard data and the vital product data pages a modern initiator reads (SPC-4 7.8, SBC-3 6.6). */
final class Inquiry {
    private Inquiry() {}

    static final String VENDOR = "KEEL    ";
    static final String PRODUCT = "VOLUME          ";
    static final String REVISION = "0001";

    static byte[] answer(ScsiRequest r, BlockLimits limits, Identity id, TargetPort port) throws SenseException {
        boolean evpd = (r.u8(1) & 0x01) != 0;
        if ((r.u8(1) & 0x02) != 0) {
            throw new SenseException(Sense.invalidFieldInCdb(1)); // CMDDT is obsolete
        }
        int page = r.u8(2);
        if (!evpd) {
            if (page != 0) {
                throw new SenseException(Sense.invalidFieldInCdb(2));
            }
            return standard(0);
        }
        return switch (page) {
            case 0x00 -> vpd(0x00, new byte[] {0x00, (byte) 0x80, (byte) 0x83, (byte) 0xb0, (byte) 0xb1, (byte) 0xb2});
            case 0x80 -> vpd(0x80, id.serial().getBytes(StandardCharsets.US_ASCII));
            case 0x83 -> vpd(0x83, designators(id, port));
            case 0xb0 -> vpd(0xb0, blockLimits(limits));
            case 0xb1 -> {
                byte[] b = new byte[0x3c];
                b[1] = 0x01; // medium rotation rate 1: non-rotating
                yield vpd(0xb1, b);
            }
            case 0xb2 -> {
                byte[] b = new byte[4];
                // LBPU (UNMAP), LBPWS (WRITE SAME 16 unmap), LBPWS10, LBPRZ: unmapped blocks read zero.
                b[1] = (byte) (0x80 | 0x40 | 0x20 | 0x04);
                b[2] = 0x02; // thin provisioned
                yield vpd(0xb2, b);
            }
            default -> throw new SenseException(Sense.invalidFieldInCdb(2));
        };
    }

    /** Standard data; {@code qualifier} 3 answers for a LUN that does not exist. */
    static byte[] standard(int qualifier) {
        byte[] b = new byte[66];
        b[0] = (byte) (qualifier == 0 ? 0x00 : 0x7f);
        b[2] = 0x06; // SPC-4
        b[3] = 0x12; // HISUP, response data format 2
        b[4] = (byte) (b.length - 5);
        b[5] = 0x10; // TPGS 01: implicit ALUA
        b[7] = 0x02; // CMDQUE
        put(b, 8, VENDOR);
        put(b, 16, PRODUCT);
        put(b, 32, REVISION);
        // Version descriptors: SAM-5, iSCSI, SPC-4, SBC-3.
        int[] versions = {0x00a0, 0x0960, 0x0460, 0x04c0};
        for (int i = 0; i < versions.length; i++) {
            b[58 + 2 * i] = (byte) (versions[i] >> 8);
            b[59 + 2 * i] = (byte) versions[i];
        }
        return b;
    }

    private static byte[] vpd(int page, byte[] body) {
        byte[] b = new byte[4 + body.length];
        b[1] = (byte) page;
        b[2] = (byte) (body.length >> 8);
        b[3] = (byte) body.length;
        System.arraycopy(body, 0, b, 4, body.length);
        return b;
    }

    /** The LU's NAA id is the same on every node; the port designators tell the nodes' paths apart. */
    private static byte[] designators(Identity id, TargetPort port) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // NAA, binary, associated with the logical unit.
        designator(out, 0x01, 0x03, id.naa());
        // T10 vendor id, ASCII.
        designator(out, 0x02, 0x01, (VENDOR + id.serial()).getBytes(StandardCharsets.US_ASCII));
        // Relative target port and target port group: PIV set, iSCSI protocol, target port association.
        int relativePort = port.relativePortId();
        designator(out, 0x51, 0x94, new byte[] {0, 0, (byte) (relativePort >> 8), (byte) relativePort});
        int group = port.groupId();
        designator(out, 0x51, 0x95, new byte[] {0, 0, (byte) (group >> 8), (byte) group});
        return out.toByteArray();
    }

    private static void designator(ByteArrayOutputStream out, int protocolAndCodeSet, int pivAssocType, byte[] value) {
        out.write(protocolAndCodeSet);
        out.write(pivAssocType);
        out.write(0);
        out.write(value.length);
        out.writeBytes(value);
    }

    private static byte[] blockLimits(BlockLimits l) {
        ByteBuffer b = ByteBuffer.allocate(0x3c);
        b.put(0, (byte) 0x01); // WSNZ: a WRITE SAME of 0 blocks is refused, never "to the end"
        b.put(1, (byte) l.maxCompareAndWrite());
        b.putShort(2, (short) 1);
        b.putInt(4, l.maxTransferBlocks());
        b.putInt(8, l.optimalTransferBlocks());
        b.putInt(16, l.maxUnmapBlocks());
        b.putInt(20, l.maxUnmapDescriptors());
        b.putInt(24, 1);
        b.putLong(32, l.maxWriteSameBlocks());
        return b.array();
    }

    private static void put(byte[] b, int at, String ascii) {
        byte[] s = ascii.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(s, 0, b, at, s.length);
    }
}
