package io.keel.iscsi.scsi;

import io.keel.iscsi.scsi.PrState.Registration;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * PERSISTENT RESERVE IN (SPC-4 6.15) from a {@link PrState}, and the access rules every other
 * command passes (SPC-4 5.12.1, table 38).
 */
final class PrIn {
    private PrIn() {}

    static ScsiResult answer(PrState s, ScsiRequest r) throws SenseException {
        int allocation = r.u16(7);
        byte[] data = switch (r.u8(1) & 0x1f) {
            case 0 -> readKeys(s);
            case 1 -> readReservation(s);
            case 2 -> reportCapabilities(s);
            case 3 -> readFullStatus(s);
            default -> throw new SenseException(Sense.invalidFieldInCdb(1));
        };
        return ScsiResult.good(Cdbs.fit(data, allocation));
    }

    private static byte[] readKeys(PrState s) {
        ByteBuffer b = ByteBuffer.allocate(8 + 8 * s.registrations().size());
        b.putInt(0, (int) s.generation()).putInt(4, 8 * s.registrations().size());
        int at = 8;
        for (Registration g : s.registrations()) {
            b.putLong(at, g.key());
            at += 8;
        }
        return b.array();
    }

    private static byte[] readReservation(PrState s) {
        ByteBuffer b = ByteBuffer.allocate(s.reservation().isEmpty() ? 8 : 24);
        b.putInt(0, (int) s.generation()).putInt(4, s.reservation().isEmpty() ? 0 : 16);
        s.reservation().ifPresent(res -> {
            // The all-registrants types report key 0: no single registrant holds them.
            boolean all = PrState.allRegistrants(res.type());
            b.putLong(8, all ? 0 : s.registration(res.holder()).map(Registration::key).orElse(0L));
            b.put(21, (byte) res.type());
        });
        return b.array();
    }

    private static byte[] reportCapabilities(PrState s) {
        ByteBuffer b = ByteBuffer.allocate(8);
        b.putShort(0, (short) 8);
        b.put(2, (byte) 0x05); // ATP_C: ALL_TG_PT; PTPL_C: persistence (the state always persists here)
        b.put(3, (byte) (0x80 | (s.aptpl() ? 0x01 : 0))); // TMV: the type mask is valid; PTPL_A
        b.put(4, (byte) 0xea); // WR_EX_AR, EX_AC_RO, WR_EX_RO, EX_AC, WR_EX
        b.put(5, (byte) 0x01); // EX_AC_AR
        return b.array();
    }

    /** One descriptor per registered I_T nexus, the initiator port as an iSCSI TransportID (SPC-4 7.6.4.6). */
    private static byte[] readFullStatus(PrState s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Registration g : s.registrations()) {
            byte[] name = g.nexus().initiatorPort().getBytes(StandardCharsets.UTF_8);
            // NUL-terminated, padded to a multiple of 4, at least 20 bytes.
            int idLength = Math.max(20, (name.length + 1 + 3) & ~3);
            ByteBuffer d = ByteBuffer.allocate(24 + 4 + idLength);
            d.putLong(0, g.key());
            boolean holds = s.holds(g.nexus());
            d.put(12, (byte) (holds ? 0x01 : 0x00)); // R_HOLDER; ALL_TG_PT 0: each port is listed on its own
            d.put(13, (byte) (holds ? s.reservation().orElseThrow().type() : 0));
            d.putShort(18, (short) g.nexus().relativeTargetPort());
            d.putInt(20, 4 + idLength);
            d.put(24, (byte) 0x45); // format 01b (initiator port with ISID), protocol 5 (iSCSI)
            d.putShort(26, (short) idLength);
            d.put(28, name);
            out.writeBytes(d.array());
        }
        byte[] body = out.toByteArray();
        ByteBuffer b = ByteBuffer.allocate(8 + body.length);
        b.putInt(0, (int) s.generation()).putInt(4, body.length).put(8, body);
        return b.array();
    }

    /** Whether {@code cdb} from {@code nexus} must end in RESERVATION CONFLICT under {@code s}. */
    static boolean conflicts(PrState s, PrState.ItNexus nexus, byte[] cdb) {
        if (s.reservation().isEmpty()) {
            return false;
        }
        int type = s.reservation().get().type();
        boolean registered = s.registration(nexus).isPresent();
        if (s.holds(nexus) || (registered && type >= PrState.WRITE_EXCLUSIVE_REGISTRANTS_ONLY)) {
            return false;
        }
        boolean exclusiveAccess = type == PrState.EXCLUSIVE_ACCESS || type == PrState.EXCLUSIVE_ACCESS_REGISTRANTS_ONLY
                || type == PrState.EXCLUSIVE_ACCESS_ALL_REGISTRANTS;
        return guarded(cdb, exclusiveAccess);
    }

    /** Whether a reservation of the write-exclusive (or exclusive-access) kind keeps others from {@code cdb}. */
    static boolean guarded(byte[] cdb, boolean exclusiveAccess) {
        return switch (cdb[0] & 0xff) {
            case Cdbs.WRITE_6, Cdbs.WRITE_10, Cdbs.WRITE_12, Cdbs.WRITE_16, Cdbs.WRITE_AND_VERIFY_10,
                    Cdbs.WRITE_AND_VERIFY_12, Cdbs.WRITE_AND_VERIFY_16, Cdbs.WRITE_SAME_10, Cdbs.WRITE_SAME_16,
                    Cdbs.UNMAP, Cdbs.COMPARE_AND_WRITE, Cdbs.SYNCHRONIZE_CACHE_10, Cdbs.SYNCHRONIZE_CACHE_16,
                    Cdbs.MODE_SELECT_6, Cdbs.MODE_SELECT_10, Cdbs.START_STOP_UNIT -> true;
            case Cdbs.READ_6, Cdbs.READ_10, Cdbs.READ_12, Cdbs.READ_16, Cdbs.VERIFY_10, Cdbs.VERIFY_12,
                    Cdbs.VERIFY_16, Cdbs.PRE_FETCH_10, Cdbs.PRE_FETCH_16, Cdbs.MODE_SENSE_6, Cdbs.MODE_SENSE_10 ->
                    exclusiveAccess;
            case Cdbs.SERVICE_ACTION_IN_16 -> exclusiveAccess && (cdb[1] & 0x1f) == Cdbs.SA_GET_LBA_STATUS;
            default -> false;
        };
    }
}
