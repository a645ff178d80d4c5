package io.keel.iscsi.pdu;

import static io.keel.iscsi.pdu.Opcode.*;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * Turns a 48-byte Basic Header Segment (plus AHS and data segment) into a typed {@link Pdu} and
 * back. Framing, digests and padding live in {@link FrameReader} / {@link FrameWriter}; this class
 * only knows field layouts and the per-opcode rules that make a header meaningless.
 */
public final class PduCodec {
    private PduCodec() {}

    /** AHS type 1: the part of a CDB longer than 16 bytes. */
    public static final int AHS_EXTENDED_CDB = 1;
    /** AHS type 2: bidirectional read expected data transfer length. */
    public static final int AHS_BIDI_READ_LENGTH = 2;

    public static Pdu decode(byte[] bhs, byte[] ahs, byte[] data) throws PduException {
        Objects.requireNonNull(bhs, "bhs");
        Objects.requireNonNull(ahs, "ahs");
        Objects.requireNonNull(data, "data");
        if (bhs.length != BHS_LENGTH) {
            throw new PduException("BHS is " + bhs.length + " bytes, not 48");
        }
        ByteBuffer b = ByteBuffer.wrap(bhs);
        int op = b.get(0) & 0x3f;
        boolean imm = (b.get(0) & 0x40) != 0;
        int f1 = b.get(1) & 0xff;
        boolean fin = (f1 & 0x80) != 0;
        int dsl = ((b.get(5) & 0xff) << 16) | ((b.get(6) & 0xff) << 8) | (b.get(7) & 0xff);
        if (dsl != data.length) {
            throw new PduException("DataSegmentLength " + dsl + " but " + data.length + " data bytes");
        }
        if ((b.get(4) & 0xff) * 4 != ahs.length) {
            throw new PduException("TotalAHSLength " + (b.get(4) & 0xff) + " words but " + ahs.length + " AHS bytes");
        }
        checkAhs(ahs, op);
        long lun = b.getLong(8);
        int itt = b.getInt(16);
        Segment seg = Segment.of(data);
        return switch (op) {
            case NOP_OUT -> {
                requireFinal(fin, "NOP-Out");
                yield new Pdu.NopOut(imm, lun, itt, b.getInt(20), b.getInt(24), b.getInt(28), seg);
            }
            case SCSI_COMMAND -> {
                boolean read = (f1 & 0x40) != 0;
                boolean write = (f1 & 0x20) != 0;
                if (!write && (!fin || dsl > 0)) {
                    throw new PduException("SCSI Command carries or announces data without the W bit");
                }
                yield new Pdu.ScsiCommand(imm, fin, read, write, f1 & 0x07, lun, itt, b.getInt(20), b.getInt(24),
                        b.getInt(28), Segment.of(Arrays.copyOfRange(bhs, 32, 48)), seg);
            }
            case TASK_MGMT_REQUEST -> {
                requireFinal(fin, "Task Management Request");
                noData(dsl, "Task Management Request");
                yield new Pdu.TaskMgmtRequest(imm, f1 & 0x7f, lun, itt, b.getInt(20), b.getInt(24), b.getInt(28),
                        b.getInt(32), b.getInt(36));
            }
            case LOGIN_REQUEST -> {
                if (!imm) {
                    throw new PduException("Login Request without the I bit");
                }
                LoginFlags lf = loginFlags(f1, "Login Request");
                yield new Pdu.LoginRequest(lf.transit, lf.cont, lf.csg, lf.nsg, b.get(2) & 0xff, b.get(3) & 0xff,
                        isid(b), b.getShort(14) & 0xffff, itt, b.getShort(20) & 0xffff, b.getInt(24), b.getInt(28), seg);
            }
            case TEXT_REQUEST -> {
                boolean cont = (f1 & 0x40) != 0;
                if (fin && cont) {
                    throw new PduException("Text Request with both F and C set");
                }
                yield new Pdu.TextRequest(imm, fin, cont, lun, itt, b.getInt(20), b.getInt(24), b.getInt(28), seg);
            }
            case DATA_OUT -> new Pdu.DataOut(fin, lun, itt, b.getInt(20), b.getInt(28), b.getInt(36), b.getInt(40), seg);
            case LOGOUT_REQUEST -> {
                requireFinal(fin, "Logout Request");
                noData(dsl, "Logout Request");
                yield new Pdu.LogoutRequest(imm, f1 & 0x7f, itt, b.getShort(20) & 0xffff, b.getInt(24), b.getInt(28));
            }
            case SNACK_REQUEST -> {
                requireFinal(fin, "SNACK Request");
                noData(dsl, "SNACK Request");
                yield new Pdu.SnackRequest(f1 & 0x0f, lun, itt, b.getInt(20), b.getInt(28), b.getInt(40), b.getInt(44));
            }
            case NOP_IN -> new Pdu.NopIn(lun, itt, b.getInt(20), b.getInt(24), b.getInt(28), b.getInt(32), seg);
            case SCSI_RESPONSE -> new Pdu.ScsiResponse((f1 & 0x10) != 0, (f1 & 0x08) != 0, (f1 & 0x04) != 0,
                    (f1 & 0x02) != 0, b.get(2) & 0xff, b.get(3) & 0xff, itt, b.getInt(20), b.getInt(24), b.getInt(28),
                    b.getInt(32), b.getInt(36), b.getInt(40), b.getInt(44), seg);
            case TASK_MGMT_RESPONSE -> {
                noData(dsl, "Task Management Response");
                yield new Pdu.TaskMgmtResponse(b.get(2) & 0xff, itt, b.getInt(24), b.getInt(28), b.getInt(32));
            }
            case LOGIN_RESPONSE -> {
                LoginFlags lf = loginFlags(f1, "Login Response");
                yield new Pdu.LoginResponse(lf.transit, lf.cont, lf.csg, lf.nsg, b.get(2) & 0xff, b.get(3) & 0xff,
                        isid(b), b.getShort(14) & 0xffff, itt, b.getInt(24), b.getInt(28), b.getInt(32),
                        b.get(36) & 0xff, b.get(37) & 0xff, seg);
            }
            case TEXT_RESPONSE -> new Pdu.TextResponse(fin, (f1 & 0x40) != 0, lun, itt, b.getInt(20), b.getInt(24),
                    b.getInt(28), b.getInt(32), seg);
            case DATA_IN -> new Pdu.DataIn(fin, (f1 & 0x40) != 0, (f1 & 0x04) != 0, (f1 & 0x02) != 0,
                    (f1 & 0x01) != 0, b.get(3) & 0xff, lun, itt, b.getInt(20), b.getInt(24), b.getInt(28),
                    b.getInt(32), b.getInt(36), b.getInt(40), b.getInt(44), seg);
            case LOGOUT_RESPONSE -> {
                noData(dsl, "Logout Response");
                yield new Pdu.LogoutResponse(b.get(2) & 0xff, itt, b.getInt(24), b.getInt(28), b.getInt(32),
                        b.getShort(40) & 0xffff, b.getShort(42) & 0xffff);
            }
            case R2T -> {
                noData(dsl, "R2T");
                yield new Pdu.R2t(lun, itt, b.getInt(20), b.getInt(24), b.getInt(28), b.getInt(32), b.getInt(36),
                        b.getInt(40), b.getInt(44));
            }
            case ASYNC_MESSAGE -> new Pdu.AsyncMessage(lun, b.getInt(24), b.getInt(28), b.getInt(32), b.get(36) & 0xff,
                    b.get(37) & 0xff, b.getShort(38) & 0xffff, b.getShort(40) & 0xffff, b.getShort(42) & 0xffff, seg);
            case REJECT -> new Pdu.Reject(b.get(2) & 0xff, b.getInt(24), b.getInt(28), b.getInt(32), b.getInt(36), seg);
            default -> throw new PduException(String.format("unknown opcode 0x%02x", op));
        };
    }

    /** The BHS of {@code pdu}, with TotalAHSLength 0 and DataSegmentLength set from its data. */
    public static byte[] encodeBhs(Pdu pdu) {
        ByteBuffer b = ByteBuffer.allocate(BHS_LENGTH);
        int dsl = pdu.data().length();
        if (dsl > MAX_SEGMENT) {
            throw new IllegalArgumentException("data segment too long: " + dsl);
        }
        b.put(5, (byte) (dsl >>> 16)).put(6, (byte) (dsl >>> 8)).put(7, (byte) dsl);
        int op = pdu.opcode();
        switch (pdu) {
            case Pdu.NopOut p -> {
                head(b, op, p.immediate(), 0x80);
                b.putLong(8, p.lun()).putInt(16, p.itt()).putInt(20, p.ttt()).putInt(24, p.cmdSn()).putInt(28, p.expStatSn());
            }
            case Pdu.ScsiCommand p -> {
                head(b, op, p.immediate(), (p.fin() ? 0x80 : 0) | (p.read() ? 0x40 : 0) | (p.write() ? 0x20 : 0)
                        | (p.attributes() & 0x07));
                b.putLong(8, p.lun()).putInt(16, p.itt()).putInt(20, p.expectedLength()).putInt(24, p.cmdSn())
                        .putInt(28, p.expStatSn()).put(32, p.cdb().bytes());
            }
            case Pdu.TaskMgmtRequest p -> {
                head(b, op, p.immediate(), 0x80 | (p.function() & 0x7f));
                b.putLong(8, p.lun()).putInt(16, p.itt()).putInt(20, p.referencedTag()).putInt(24, p.cmdSn())
                        .putInt(28, p.expStatSn()).putInt(32, p.refCmdSn()).putInt(36, p.expDataSn());
            }
            case Pdu.LoginRequest p -> {
                head(b, op, true, loginFlags(p.transit(), p.cont(), p.csg(), p.nsg()));
                b.put(2, (byte) p.versionMax()).put(3, (byte) p.versionMin());
                putIsid(b, p.isid());
                b.putShort(14, (short) p.tsih()).putInt(16, p.itt()).putShort(20, (short) p.cid()).putInt(24, p.cmdSn())
                        .putInt(28, p.expStatSn());
            }
            case Pdu.TextRequest p -> {
                head(b, op, p.immediate(), (p.fin() ? 0x80 : 0) | (p.cont() ? 0x40 : 0));
                b.putLong(8, p.lun()).putInt(16, p.itt()).putInt(20, p.ttt()).putInt(24, p.cmdSn()).putInt(28, p.expStatSn());
            }
            case Pdu.DataOut p -> {
                head(b, op, false, p.fin() ? 0x80 : 0);
                b.putLong(8, p.lun()).putInt(16, p.itt()).putInt(20, p.ttt()).putInt(28, p.expStatSn())
                        .putInt(36, p.dataSn()).putInt(40, p.bufferOffset());
            }
            case Pdu.LogoutRequest p -> {
                head(b, op, p.immediate(), 0x80 | (p.reason() & 0x7f));
                b.putInt(16, p.itt()).putShort(20, (short) p.cid()).putInt(24, p.cmdSn()).putInt(28, p.expStatSn());
            }
            case Pdu.SnackRequest p -> {
                head(b, op, false, 0x80 | (p.type() & 0x0f));
                b.putLong(8, p.lun()).putInt(16, p.itt()).putInt(20, p.ttt()).putInt(28, p.expStatSn())
                        .putInt(40, p.begRun()).putInt(44, p.runLength());
            }
            case Pdu.NopIn p -> {
                head(b, op, false, 0x80);
                b.putLong(8, p.lun()).putInt(16, p.itt()).putInt(20, p.ttt()).putInt(24, p.statSn())
                        .putInt(28, p.expCmdSn()).putInt(32, p.maxCmdSn());
            }
            case Pdu.ScsiResponse p -> {
                head(b, op, false, 0x80 | (p.bidiOverflow() ? 0x10 : 0) | (p.bidiUnderflow() ? 0x08 : 0)
                        | (p.overflow() ? 0x04 : 0) | (p.underflow() ? 0x02 : 0));
                b.put(2, (byte) p.response()).put(3, (byte) p.status()).putInt(16, p.itt()).putInt(20, p.snackTag())
                        .putInt(24, p.statSn()).putInt(28, p.expCmdSn()).putInt(32, p.maxCmdSn())
                        .putInt(36, p.expDataSn()).putInt(40, p.bidiResidual()).putInt(44, p.residual());
            }
            case Pdu.TaskMgmtResponse p -> {
                head(b, op, false, 0x80);
                b.put(2, (byte) p.response()).putInt(16, p.itt()).putInt(24, p.statSn()).putInt(28, p.expCmdSn())
                        .putInt(32, p.maxCmdSn());
            }
            case Pdu.LoginResponse p -> {
                head(b, op, false, loginFlags(p.transit(), p.cont(), p.csg(), p.nsg()));
                b.put(2, (byte) p.versionMax()).put(3, (byte) p.versionActive());
                putIsid(b, p.isid());
                b.putShort(14, (short) p.tsih()).putInt(16, p.itt()).putInt(24, p.statSn()).putInt(28, p.expCmdSn())
                        .putInt(32, p.maxCmdSn()).put(36, (byte) p.statusClass()).put(37, (byte) p.statusDetail());
            }
            case Pdu.TextResponse p -> {
                head(b, op, false, (p.fin() ? 0x80 : 0) | (p.cont() ? 0x40 : 0));
                b.putLong(8, p.lun()).putInt(16, p.itt()).putInt(20, p.ttt()).putInt(24, p.statSn())
                        .putInt(28, p.expCmdSn()).putInt(32, p.maxCmdSn());
            }
            case Pdu.DataIn p -> {
                head(b, op, false, (p.fin() ? 0x80 : 0) | (p.ack() ? 0x40 : 0) | (p.overflow() ? 0x04 : 0)
                        | (p.underflow() ? 0x02 : 0) | (p.statusPresent() ? 0x01 : 0));
                b.put(3, (byte) p.status()).putLong(8, p.lun()).putInt(16, p.itt()).putInt(20, p.ttt())
                        .putInt(24, p.statSn()).putInt(28, p.expCmdSn()).putInt(32, p.maxCmdSn()).putInt(36, p.dataSn())
                        .putInt(40, p.bufferOffset()).putInt(44, p.residual());
            }
            case Pdu.LogoutResponse p -> {
                head(b, op, false, 0x80);
                b.put(2, (byte) p.response()).putInt(16, p.itt()).putInt(24, p.statSn()).putInt(28, p.expCmdSn())
                        .putInt(32, p.maxCmdSn()).putShort(40, (short) p.time2Wait()).putShort(42, (short) p.time2Retain());
            }
            case Pdu.R2t p -> {
                head(b, op, false, 0x80);
                b.putLong(8, p.lun()).putInt(16, p.itt()).putInt(20, p.ttt()).putInt(24, p.statSn())
                        .putInt(28, p.expCmdSn()).putInt(32, p.maxCmdSn()).putInt(36, p.r2tSn())
                        .putInt(40, p.bufferOffset()).putInt(44, p.desiredLength());
            }
            case Pdu.AsyncMessage p -> {
                head(b, op, false, 0x80);
                b.putLong(8, p.lun()).putInt(16, NO_TAG).putInt(24, p.statSn()).putInt(28, p.expCmdSn())
                        .putInt(32, p.maxCmdSn()).put(36, (byte) p.event()).put(37, (byte) p.vcode())
                        .putShort(38, (short) p.parameter1()).putShort(40, (short) p.parameter2())
                        .putShort(42, (short) p.parameter3());
            }
            case Pdu.Reject p -> {
                head(b, op, false, 0x80);
                b.put(2, (byte) p.reason()).putInt(16, NO_TAG).putInt(24, p.statSn()).putInt(28, p.expCmdSn())
                        .putInt(32, p.maxCmdSn()).putInt(36, p.dataSn());
            }
        }
        return b.array();
    }

    private record LoginFlags(boolean transit, boolean cont, int csg, int nsg) {}

    private static LoginFlags loginFlags(int f1, String what) throws PduException {
        boolean transit = (f1 & 0x80) != 0;
        boolean cont = (f1 & 0x40) != 0;
        int csg = (f1 >> 2) & 3;
        int nsg = f1 & 3;
        if (transit && cont) {
            throw new PduException(what + " with both T and C set");
        }
        if (csg == 2 || (transit && nsg == 2)) {
            throw new PduException(what + " names reserved stage 2");
        }
        if (csg == 3) {
            throw new PduException(what + " with the full feature phase as current stage");
        }
        return new LoginFlags(transit, cont, csg, transit ? nsg : 0);
    }

    private static int loginFlags(boolean transit, boolean cont, int csg, int nsg) {
        return (transit ? 0x80 : 0) | (cont ? 0x40 : 0) | ((csg & 3) << 2) | (nsg & 3);
    }

    private static void head(ByteBuffer b, int op, boolean immediate, int flags) {
        b.put(0, (byte) ((immediate ? 0x40 : 0) | op)).put(1, (byte) flags);
    }

    private static long isid(ByteBuffer b) {
        return b.getLong(8) >>> 16;
    }

    private static void putIsid(ByteBuffer b, long isid) {
        for (int i = 0; i < 6; i++) {
            b.put(8 + i, (byte) (isid >>> (40 - 8 * i)));
        }
    }

    private static void requireFinal(boolean fin, String what) throws PduException {
        if (!fin) {
            throw new PduException(what + " without the F bit");
        }
    }

    private static void noData(int dsl, String what) throws PduException {
        if (dsl != 0) {
            throw new PduException(what + " with a " + dsl + "-byte data segment");
        }
    }

    /** Each AHS is length (2), type (1), specific (1), then length-1 bytes padded to a word. */
    private static void checkAhs(byte[] ahs, int op) throws PduException {
        int pos = 0;
        while (pos < ahs.length) {
            if (ahs.length - pos < 4) {
                throw new PduException("truncated AHS header");
            }
            int len = ((ahs[pos] & 0xff) << 8) | (ahs[pos + 1] & 0xff);
            int type = ahs[pos + 2] & 0x3f;
            int total = 4 + ((len - 1 + 3) & ~3);
            if (len == 0 || total > ahs.length - pos) {
                throw new PduException("AHS length " + len + " does not fit TotalAHSLength");
            }
            if (op != SCSI_COMMAND) {
                throw new PduException(String.format("AHS on opcode 0x%02x", op));
            }
            if (type == AHS_EXTENDED_CDB) {
                throw new PduException("extended CDBs (longer than 16 bytes) are not supported");
            }
            if (type != AHS_BIDI_READ_LENGTH) {
                throw new PduException("unknown AHS type " + type);
            }
            pos += total;
        }
    }
}
