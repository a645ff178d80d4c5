package io.keel.iscsi.scsi;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Persistent reservations held in memory (SPC-4 5.12 and 6.15-6.16): registrations per I_T nexus,
 * one reservation of the six types, PREEMPT / CLEAR. Not supported: SPEC_I_PT, ALL_TG_PT, APTPL
 * (all advertised as such in REPORT CAPABILITIES) and REGISTER AND MOVE. Thread-safe.
 */
public final class InMemoryReservations implements Reservations {
    static final int WRITE_EXCLUSIVE = 1;
    static final int EXCLUSIVE_ACCESS = 3;
    static final int WRITE_EXCLUSIVE_REGISTRANTS_ONLY = 5;
    static final int EXCLUSIVE_ACCESS_REGISTRANTS_ONLY = 6;
    static final int WRITE_EXCLUSIVE_ALL_REGISTRANTS = 7;
    static final int EXCLUSIVE_ACCESS_ALL_REGISTRANTS = 8;

    private final Map<String, Long> registrations = new LinkedHashMap<>();
    private String holder;
    private int type;
    private int generation;

    @Override
    public synchronized boolean conflicts(ScsiRequest.Nexus nexus, byte[] cdb) {
        if (type == 0) {
            return false;
        }
        String port = nexus.initiatorPort();
        boolean registered = registrations.containsKey(port);
        if (port.equals(holder) || (registered && type >= WRITE_EXCLUSIVE_REGISTRANTS_ONLY)) {
            return false;
        }
        boolean exclusiveAccess = type == EXCLUSIVE_ACCESS || type == EXCLUSIVE_ACCESS_REGISTRANTS_ONLY
                || type == EXCLUSIVE_ACCESS_ALL_REGISTRANTS;
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

    @Override
    public synchronized ScsiResult in(ScsiRequest r) throws SenseException {
        int allocation = r.u16(7);
        byte[] data = switch (r.u8(1) & 0x1f) {
            case 0 -> { // READ KEYS
                ByteBuffer b = ByteBuffer.allocate(8 + 8 * registrations.size());
                b.putInt(0, generation).putInt(4, 8 * registrations.size());
                int at = 8;
                for (long key : registrations.values()) {
                    b.putLong(at, key);
                    at += 8;
                }
                yield b.array();
            }
            case 1 -> { // READ RESERVATION
                ByteBuffer b = ByteBuffer.allocate(type == 0 ? 8 : 24);
                b.putInt(0, generation).putInt(4, type == 0 ? 0 : 16);
                if (type != 0) {
                    boolean all = type == WRITE_EXCLUSIVE_ALL_REGISTRANTS || type == EXCLUSIVE_ACCESS_ALL_REGISTRANTS;
                    b.putLong(8, all ? 0 : registrations.getOrDefault(holder, 0L));
                    b.put(21, (byte) type);
                }
                yield b.array();
            }
            case 2 -> { // REPORT CAPABILITIES
                ByteBuffer b = ByteBuffer.allocate(8);
                b.putShort(0, (short) 8);
                b.put(3, (byte) 0x80); // TMV: the type mask is valid
                b.put(4, (byte) 0xea); // WR_EX_AR, EX_AC_RO, WR_EX_RO, EX_AC, WR_EX
                b.put(5, (byte) 0x01); // EX_AC_AR
                yield b.array();
            }
            case 3 -> readFullStatus();
            default -> throw new SenseException(Sense.invalidFieldInCdb(1));
        };
        return ScsiResult.good(Cdbs.fit(data, allocation));
    }

    @Override
    public synchronized ScsiResult out(ScsiRequest r) throws SenseException {
        int action = r.u8(1) & 0x1f;
        int scope = r.u8(2) >> 4;
        int newType = r.u8(2) & 0x0f;
        if (r.u32(5) != 24) {
            throw new SenseException(Sense.parameterListLength());
        }
        if (r.dataOut().length < 24) {
            throw new SenseException(Sense.parameterListLength());
        }
        ByteBuffer p = ByteBuffer.wrap(r.dataOut());
        long key = p.getLong(0);
        long sark = p.getLong(8);
        int flags = p.get(20) & 0xff;
        if ((flags & 0x08) != 0) {
            throw new SenseException(Sense.invalidFieldInParameters(20)); // SPEC_I_PT
        }
        if ((flags & 0x04) != 0) {
            throw new SenseException(Sense.invalidFieldInParameters(20)); // ALL_TG_PT
        }
        if ((flags & 0x01) != 0) {
            throw new SenseException(Sense.invalidFieldInParameters(20)); // APTPL: nothing persists power loss yet
        }
        String port = r.nexus().initiatorPort();
        Long mine = registrations.get(port);
        switch (action) {
            case 0, 6 -> { // REGISTER, REGISTER AND IGNORE EXISTING KEY
                if (action == 0 && (mine == null ? key != 0 : key != mine)) {
                    return conflict();
                }
                if (sark == 0) {
                    if (mine != null) {
                        unregister(port);
                    }
                } else {
                    registrations.put(port, sark);
                }
                generation++;
            }
            case 1 -> { // RESERVE
                if (mine == null || key != mine) {
                    return conflict();
                }
                checkTypeAndScope(scope, newType);
                if (type != 0) {
                    boolean holds = port.equals(holder) || type >= WRITE_EXCLUSIVE_ALL_REGISTRANTS;
                    if (!holds || type != newType) {
                        return conflict();
                    }
                    return ScsiResult.good();
                }
                holder = port;
                type = newType;
            }
            case 2 -> { // RELEASE
                if (mine == null || key != mine) {
                    return conflict();
                }
                boolean holds = type != 0 && (port.equals(holder) || type >= WRITE_EXCLUSIVE_ALL_REGISTRANTS);
                if (!holds) {
                    return ScsiResult.good();
                }
                if (scope != 0 || newType != type) {
                    throw new SenseException(Sense.of(Sense.ILLEGAL_REQUEST, 0x26, 0x04));
                }
                release();
            }
            case 3 -> { // CLEAR
                if (mine == null || key != mine) {
                    return conflict();
                }
                registrations.clear();
                release();
                generation++;
            }
            case 4, 5 -> { // PREEMPT, PREEMPT AND ABORT
                if (mine == null || key != mine) {
                    return conflict();
                }
                checkTypeAndScope(scope, newType);
                return preempt(port, sark, newType);
            }
            default -> throw new SenseException(Sense.invalidFieldInCdb(1)); // REGISTER AND MOVE, unknown
        }
        return ScsiResult.good();
    }

    /** One descriptor per registration with the initiator port as an iSCSI TransportID (SPC-4 7.6.4.2). */
    private byte[] readFullStatus() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        boolean all = type == WRITE_EXCLUSIVE_ALL_REGISTRANTS || type == EXCLUSIVE_ACCESS_ALL_REGISTRANTS;
        for (Map.Entry<String, Long> e : registrations.entrySet()) {
            byte[] name = e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            int idLength = (name.length + 1 + 3) & ~3;
            ByteBuffer d = ByteBuffer.allocate(24 + 4 + idLength);
            d.putLong(0, e.getValue());
            boolean holds = type != 0 && (all || e.getKey().equals(holder));
            d.put(12, (byte) (holds ? 0x01 : 0x00));
            d.put(13, (byte) (holds ? type : 0));
            d.putShort(18, (short) 1);
            d.putInt(20, 4 + idLength);
            d.put(24, (byte) 0x45); // format 01b (initiator port), protocol 5 (iSCSI)
            d.putShort(26, (short) idLength);
            d.put(28, name);
            out.writeBytes(d.array());
        }
        byte[] body = out.toByteArray();
        ByteBuffer b = ByteBuffer.allocate(8 + body.length);
        b.putInt(0, generation).putInt(4, body.length).put(8, body);
        return b.array();
    }

    private ScsiResult preempt(String port, long sark, int newType) throws SenseException {
        boolean allRegistrants = type == WRITE_EXCLUSIVE_ALL_REGISTRANTS || type == EXCLUSIVE_ACCESS_ALL_REGISTRANTS;
        if (allRegistrants && sark == 0) {
            registrations.keySet().removeIf(other -> !other.equals(port));
            holder = port;
            type = newType;
            generation++;
            return ScsiResult.good();
        }
        if (sark == 0) {
            throw new SenseException(Sense.invalidFieldInParameters(8));
        }
        if (!registrations.containsValue(sark)) {
            return conflict();
        }
        boolean takesOver = type != 0 && !allRegistrants && registrations.get(holder) == sark;
        registrations.values().removeIf(k -> k == sark);
        if (takesOver) {
            holder = port;
            type = newType;
        } else if (type != 0 && !allRegistrants && !registrations.containsKey(holder)) {
            release();
        }
        generation++;
        return ScsiResult.good();
    }

    private void unregister(String port) {
        registrations.remove(port);
        if (type == 0) {
            return;
        }
        boolean allRegistrants = type == WRITE_EXCLUSIVE_ALL_REGISTRANTS || type == EXCLUSIVE_ACCESS_ALL_REGISTRANTS;
        if (allRegistrants ? registrations.isEmpty() : port.equals(holder)) {
            release();
        }
    }

    private void release() {
        holder = null;
        type = 0;
    }

    private static void checkTypeAndScope(int scope, int t) throws SenseException {
        if (scope != 0) {
            throw new SenseException(Sense.invalidFieldInCdb(2));
        }
        if (t != WRITE_EXCLUSIVE && t != EXCLUSIVE_ACCESS && t != WRITE_EXCLUSIVE_REGISTRANTS_ONLY
                && t != EXCLUSIVE_ACCESS_REGISTRANTS_ONLY && t != WRITE_EXCLUSIVE_ALL_REGISTRANTS
                && t != EXCLUSIVE_ACCESS_ALL_REGISTRANTS) {
            throw new SenseException(Sense.invalidFieldInCdb(2));
        }
    }

    private static ScsiResult conflict() {
        return ScsiResult.status(ScsiStatus.RESERVATION_CONFLICT);
    }
}
