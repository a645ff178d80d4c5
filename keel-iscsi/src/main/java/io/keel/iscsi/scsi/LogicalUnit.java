package io.keel.iscsi.scsi;

import static io.keel.iscsi.scsi.Cdbs.*;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;

/**
 * One LUN: decodes a CDB and runs it against the backend. Every failure becomes CHECK CONDITION
 * with sense data; nothing a CDB contains can throw out of {@link #execute}.
 */
public final class LogicalUnit {
    private final LunBackend backend;
    private final BlockLimits limits;
    private final Identity identity;
    private final PortGroups portGroups;
    private final Reservations reservations;
    private final BlockCommands block;
    /** I_T nexuses that sent this LUN a command, and the unit attention each has pending. */
    private final java.util.Set<String> nexuses = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.Map<String, Sense> unitAttention = new java.util.concurrent.ConcurrentHashMap<>();

    public LogicalUnit(LunBackend backend, PortGroups portGroups, Reservations reservations) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.portGroups = Objects.requireNonNull(portGroups, "portGroups");
        this.reservations = Objects.requireNonNull(reservations, "reservations");
        int bs = backend.blockSize();
        if ((bs != 512 && bs != 4096) || backend.size() % bs != 0) {
            throw new IllegalArgumentException("LUN size " + backend.size() + " / block size " + bs);
        }
        this.limits = BlockLimits.forBlockSize(bs);
        this.identity = Identity.of(backend.uniqueId());
        this.block = new BlockCommands(backend, limits);
    }

    public LunBackend backend() {
        return backend;
    }

    public Reservations reservations() {
        return reservations;
    }

    /**
     * A LOGICAL UNIT RESET or target reset happened: every I_T nexus that knows this LUN, the
     * resetting one included, is told so by a unit attention on its next command (SAM-5 5.14), since
     * its state there (reservations excepted) may be gone.
     */
    public void reset(boolean targetReset) {
        Sense ua = Sense.of(Sense.UNIT_ATTENTION, 0x29, targetReset ? 0x00 : 0x03);
        for (String n : nexuses) {
            unitAttention.put(n, ua);
        }
    }

    public ScsiResult execute(ScsiRequest r) {
        try {
            int op = r.u8(0);
            String port = r.nexus().initiatorPort();
            nexuses.add(port);
            if (!unitAttention.isEmpty() && op != INQUIRY && op != Cdbs.REPORT_LUNS) {
                Sense ua = unitAttention.remove(port);
                if (ua != null) {
                    // REQUEST SENSE reports the condition as its data; anything else fails with it.
                    return op == REQUEST_SENSE ? ScsiResult.good(fit(ua.fixed(), r.u8(4))) : ScsiResult.check(ua);
                }
            }
            if (reservations.conflicts(r.nexus(), r.cdb())) {
                return ScsiResult.status(ScsiStatus.RESERVATION_CONFLICT);
            }
            return switch (op) {
                case TEST_UNIT_READY, START_STOP_UNIT, PREVENT_ALLOW -> ScsiResult.good();
                case REQUEST_SENSE -> requestSense(r);
                case INQUIRY -> ScsiResult.good(fit(Inquiry.answer(r, limits, identity, portGroups), r.u16(3)));
                case MODE_SENSE_6, MODE_SENSE_10 -> ScsiResult.good(ModePages.sense(r, backend));
                case READ_CAPACITY_10 -> ScsiResult.good(readCapacity10());
                case SERVICE_ACTION_IN_16 -> serviceActionIn(r);
                case READ_6, READ_10, READ_12, READ_16 -> block.read(r);
                case WRITE_6, WRITE_10, WRITE_12, WRITE_16 -> block.write(r, false);
                case WRITE_AND_VERIFY_10, WRITE_AND_VERIFY_12, WRITE_AND_VERIFY_16 -> block.write(r, true);
                case VERIFY_10, VERIFY_12, VERIFY_16 -> block.verify(r);
                case WRITE_SAME_10, WRITE_SAME_16 -> block.writeSame(r);
                case UNMAP -> block.unmap(r);
                case COMPARE_AND_WRITE -> block.compareAndWrite(r);
                case SYNCHRONIZE_CACHE_10, SYNCHRONIZE_CACHE_16 -> block.synchronizeCache(r);
                case PRE_FETCH_10, PRE_FETCH_16 -> block.preFetch(r);
                case MAINTENANCE_IN -> maintenanceIn(r);
                case PERSISTENT_RESERVE_IN -> reservations.in(r);
                case PERSISTENT_RESERVE_OUT -> reservations.out(r);
                default -> throw new SenseException(Sense.invalidOpcode());
            };
        } catch (SenseException e) {
            return ScsiResult.check(e.sense());
        }
    }

    private ScsiResult requestSense(ScsiRequest r) {
        // We keep no deferred sense: every error was reported with its command (autosense).
        boolean descriptor = (r.u8(1) & 0x01) != 0;
        byte[] data = descriptor ? new byte[] {0x72, 0, 0, 0, 0, 0, 0, 0} : Sense.noSense().fixed();
        return ScsiResult.good(fit(data, r.u8(4)));
    }

    private byte[] readCapacity10() {
        long last = block.blockCount() - 1;
        ByteBuffer b = ByteBuffer.allocate(8);
        b.putInt(0, last > 0xfffffffeL ? -1 : (int) last);
        b.putInt(4, backend.blockSize());
        return b.array();
    }

    private ScsiResult serviceActionIn(ScsiRequest r) throws SenseException {
        int sa = r.u8(1) & 0x1f;
        long allocation = r.u32(10);
        if (sa == SA_READ_CAPACITY_16) {
            ByteBuffer b = ByteBuffer.allocate(32);
            b.putLong(0, block.blockCount() - 1);
            b.putInt(8, backend.blockSize());
            b.put(14, (byte) 0xc0); // LBPME: thin provisioned; LBPRZ: unmapped blocks read zero
            return ScsiResult.good(fit(b.array(), allocation));
        }
        if (sa == SA_GET_LBA_STATUS) {
            long lba = r.u64(2);
            if (lba < 0 || lba >= block.blockCount()) {
                throw new SenseException(Sense.lbaOutOfRange());
            }
            // We do not track allocation per block here: report the rest of the LUN as mapped.
            ByteBuffer b = ByteBuffer.allocate(24);
            b.putInt(0, 20);
            b.putLong(8, lba);
            b.putInt(16, (int) Math.min(block.blockCount() - lba, 0xffffffffL));
            return ScsiResult.good(fit(b.array(), allocation));
        }
        throw new SenseException(Sense.invalidFieldInCdb(1));
    }

    private ScsiResult maintenanceIn(ScsiRequest r) throws SenseException {
        int sa = r.u8(1) & 0x1f;
        if (sa == SupportedOpcodes.SA_REPORT_SUPPORTED_OPCODES) {
            return ScsiResult.good(fit(SupportedOpcodes.answer(r), r.u32(6)));
        }
        if (sa != SA_REPORT_TARGET_PORT_GROUPS) {
            throw new SenseException(Sense.invalidFieldInCdb(1));
        }
        boolean extended = ((r.u8(1) >> 5) & 0x7) == 1;
        List<PortGroups.Group> groups = portGroups.groups();
        int size = 4 + (extended ? 4 : 0);
        for (PortGroups.Group g : groups) {
            size += 8 + 4 * g.relativeTargetPorts().size();
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.putInt(0, size - 4);
        int at = 4;
        if (extended) {
            b.put(4, (byte) 0x10); // format 1: extended header, implicit transition time 0
            at = 8;
        }
        for (PortGroups.Group g : groups) {
            b.put(at, (byte) (0x80 | g.state())); // PREF: this path is preferred when optimized
            b.put(at + 1, (byte) 0x8f); // T_SUP, U_SUP, S_SUP, AN_SUP, AO_SUP
            b.putShort(at + 2, (short) g.id());
            b.put(at + 7, (byte) g.relativeTargetPorts().size());
            at += 8;
            for (int port : g.relativeTargetPorts()) {
                b.putShort(at + 2, (short) port);
                at += 4;
            }
        }
        return ScsiResult.good(fit(b.array(), r.u32(6)));
    }
}
