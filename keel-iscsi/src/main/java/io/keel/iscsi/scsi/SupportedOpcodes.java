package io.keel.iscsi.scsi;

import static io.keel.iscsi.scsi.Cdbs.*;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;

/** REPORT SUPPORTED OPERATION CODES (SPC-4 6.35): what {@link LogicalUnit} implements, with CDB usage masks. */
final class SupportedOpcodes {
    private SupportedOpcodes() {}

    static final int SA_REPORT_SUPPORTED_OPCODES = 0x0c;

    /** One command: opcode, service action or -1, and the usage mask (byte 0 is the opcode itself). */
    private record Command(int opcode, int serviceAction, int[] usage) {}

    private static final int FF = 0xff;
    private static final List<Command> COMMANDS = List.of(
            new Command(TEST_UNIT_READY, -1, new int[] {TEST_UNIT_READY, 0, 0, 0, 0, 0}),
            new Command(REQUEST_SENSE, -1, new int[] {REQUEST_SENSE, 0x01, 0, 0, FF, 0}),
            new Command(READ_6, -1, new int[] {READ_6, 0x1f, FF, FF, FF, 0}),
            new Command(WRITE_6, -1, new int[] {WRITE_6, 0x1f, FF, FF, FF, 0}),
            new Command(INQUIRY, -1, new int[] {INQUIRY, 0x01, FF, FF, FF, 0}),
            new Command(MODE_SENSE_6, -1, new int[] {MODE_SENSE_6, 0x08, FF, FF, FF, 0}),
            new Command(START_STOP_UNIT, -1, new int[] {START_STOP_UNIT, 0x01, 0, 0x0f, 0xf7, 0}),
            new Command(PREVENT_ALLOW, -1, new int[] {PREVENT_ALLOW, 0, 0, 0, 0x03, 0}),
            new Command(READ_CAPACITY_10, -1, new int[] {READ_CAPACITY_10, 0, FF, FF, FF, FF, 0, 0, 0x01, 0}),
            new Command(READ_10, -1, rw10(READ_10)),
            new Command(WRITE_10, -1, rw10(WRITE_10)),
            new Command(WRITE_AND_VERIFY_10, -1, new int[] {WRITE_AND_VERIFY_10, 0x12, FF, FF, FF, FF, 0x1f, FF, FF, 0}),
            new Command(VERIFY_10, -1, new int[] {VERIFY_10, 0x16, FF, FF, FF, FF, 0x1f, FF, FF, 0}),
            new Command(PRE_FETCH_10, -1, new int[] {PRE_FETCH_10, 0x02, FF, FF, FF, FF, 0x1f, FF, FF, 0}),
            new Command(SYNCHRONIZE_CACHE_10, -1, new int[] {SYNCHRONIZE_CACHE_10, 0x06, FF, FF, FF, FF, 0x1f, FF, FF, 0}),
            new Command(WRITE_SAME_10, -1, new int[] {WRITE_SAME_10, 0x08, FF, FF, FF, FF, 0x1f, FF, FF, 0}),
            new Command(UNMAP, -1, new int[] {UNMAP, 0, 0, 0, 0, 0, 0x1f, FF, FF, 0}),
            new Command(MODE_SENSE_10, -1, new int[] {MODE_SENSE_10, 0x18, FF, FF, 0, 0, 0, FF, FF, 0}),
            new Command(PERSISTENT_RESERVE_IN, 0, pr(PERSISTENT_RESERVE_IN, 0)),
            new Command(PERSISTENT_RESERVE_IN, 1, pr(PERSISTENT_RESERVE_IN, 1)),
            new Command(PERSISTENT_RESERVE_IN, 2, pr(PERSISTENT_RESERVE_IN, 2)),
            new Command(PERSISTENT_RESERVE_IN, 3, pr(PERSISTENT_RESERVE_IN, 3)),
            new Command(PERSISTENT_RESERVE_OUT, 0, pr(PERSISTENT_RESERVE_OUT, 0)),
            new Command(PERSISTENT_RESERVE_OUT, 1, pr(PERSISTENT_RESERVE_OUT, 1)),
            new Command(PERSISTENT_RESERVE_OUT, 2, pr(PERSISTENT_RESERVE_OUT, 2)),
            new Command(PERSISTENT_RESERVE_OUT, 3, pr(PERSISTENT_RESERVE_OUT, 3)),
            new Command(PERSISTENT_RESERVE_OUT, 4, pr(PERSISTENT_RESERVE_OUT, 4)),
            new Command(PERSISTENT_RESERVE_OUT, 5, pr(PERSISTENT_RESERVE_OUT, 5)),
            new Command(PERSISTENT_RESERVE_OUT, 6, pr(PERSISTENT_RESERVE_OUT, 6)),
            new Command(READ_16, -1, rw16(READ_16)),
            new Command(COMPARE_AND_WRITE, -1, new int[] {COMPARE_AND_WRITE, 0x18, FF, FF, FF, FF, FF, FF, FF, FF, 0, 0,
                    0, FF, 0x1f, 0}),
            new Command(WRITE_16, -1, rw16(WRITE_16)),
            new Command(WRITE_AND_VERIFY_16, -1, new int[] {WRITE_AND_VERIFY_16, 0x12, FF, FF, FF, FF, FF, FF, FF, FF, FF,
                    FF, FF, FF, 0x1f, 0}),
            new Command(VERIFY_16, -1, new int[] {VERIFY_16, 0x16, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, 0x1f, 0}),
            new Command(PRE_FETCH_16, -1, new int[] {PRE_FETCH_16, 0x02, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF,
                    0x1f, 0}),
            new Command(SYNCHRONIZE_CACHE_16, -1, new int[] {SYNCHRONIZE_CACHE_16, 0x06, FF, FF, FF, FF, FF, FF, FF, FF,
                    FF, FF, FF, FF, 0x1f, 0}),
            new Command(WRITE_SAME_16, -1, new int[] {WRITE_SAME_16, 0x09, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF,
                    0x1f, 0}),
            new Command(SERVICE_ACTION_IN_16, SA_READ_CAPACITY_16, new int[] {SERVICE_ACTION_IN_16, SA_READ_CAPACITY_16,
                    0, 0, 0, 0, 0, 0, 0, 0, FF, FF, FF, FF, 0, 0}),
            new Command(SERVICE_ACTION_IN_16, SA_GET_LBA_STATUS, new int[] {SERVICE_ACTION_IN_16, SA_GET_LBA_STATUS,
                    FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, 0, 0}),
            new Command(REPORT_LUNS, -1, new int[] {REPORT_LUNS, 0, FF, 0, 0, 0, FF, FF, FF, FF, 0, 0}),
            new Command(MAINTENANCE_IN, SA_REPORT_TARGET_PORT_GROUPS, new int[] {MAINTENANCE_IN,
                    0xe0 | SA_REPORT_TARGET_PORT_GROUPS, 0, 0, 0, 0, FF, FF, FF, FF, 0, 0}),
            new Command(MAINTENANCE_IN, SA_REPORT_SUPPORTED_OPCODES, new int[] {MAINTENANCE_IN,
                    SA_REPORT_SUPPORTED_OPCODES, 0x87, FF, FF, FF, FF, FF, FF, FF, 0, 0}),
            new Command(READ_12, -1, rw12(READ_12)),
            new Command(WRITE_12, -1, rw12(WRITE_12)),
            new Command(WRITE_AND_VERIFY_12, -1, new int[] {WRITE_AND_VERIFY_12, 0x12, FF, FF, FF, FF, FF, FF, FF, FF,
                    0x1f, 0}),
            new Command(VERIFY_12, -1, new int[] {VERIFY_12, 0x16, FF, FF, FF, FF, FF, FF, FF, FF, 0x1f, 0}));

    private static int[] rw10(int op) {
        return new int[] {op, 0x18, FF, FF, FF, FF, 0x1f, FF, FF, 0};
    }

    private static int[] rw12(int op) {
        return new int[] {op, 0x18, FF, FF, FF, FF, FF, FF, FF, FF, 0x1f, 0};
    }

    private static int[] rw16(int op) {
        return new int[] {op, 0x18, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, 0x1f, 0};
    }

    private static int[] pr(int op, int sa) {
        return op == PERSISTENT_RESERVE_IN ? new int[] {op, sa, 0, 0, 0, 0, 0, FF, FF, 0}
                : new int[] {op, sa, FF, 0, 0, FF, FF, FF, FF, 0};
    }

    static byte[] answer(ScsiRequest r) throws SenseException {
        int options = r.u8(2) & 0x07;
        boolean timeouts = (r.u8(2) & 0x80) != 0;
        int opcode = r.u8(3);
        int sa = r.u16(4);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (options == 0) {
            for (Command c : COMMANDS) {
                out.write(c.opcode());
                out.write(0);
                out.write(c.serviceAction() < 0 ? 0 : c.serviceAction() >> 8);
                out.write(c.serviceAction() < 0 ? 0 : c.serviceAction());
                out.write(0);
                out.write((timeouts ? 0x02 : 0) | (c.serviceAction() < 0 ? 0 : 0x01));
                out.write(c.usage().length >> 8);
                out.write(c.usage().length);
                if (timeouts) {
                    out.writeBytes(timeoutsDescriptor());
                }
            }
            byte[] body = out.toByteArray();
            return ByteBuffer.allocate(4 + body.length).putInt(0, body.length).put(4, body).array();
        }
        if (options > 3) {
            throw new SenseException(Sense.invalidFieldInCdb(2));
        }
        boolean hasActions = COMMANDS.stream().anyMatch(c -> c.opcode() == opcode && c.serviceAction() >= 0);
        if ((options == 1 && hasActions) || (options == 2 && !hasActions && known(opcode))) {
            throw new SenseException(Sense.invalidFieldInCdb(3));
        }
        Command found = null;
        for (Command c : COMMANDS) {
            if (c.opcode() == opcode && (options == 1 || !hasActions || c.serviceAction() == sa)) {
                found = c;
            }
        }
        if (found == null) {
            return new byte[] {0, (byte) 0x01, 0, 0}; // SUPPORT 001b: not supported
        }
        out.write(0);
        out.write((timeouts ? 0x80 : 0) | 0x03); // SUPPORT 011b: supported as the standard says
        out.write(found.usage().length >> 8);
        out.write(found.usage().length);
        for (int u : found.usage()) {
            out.write(u);
        }
        if (timeouts) {
            out.writeBytes(timeoutsDescriptor());
        }
        return out.toByteArray();
    }

    private static boolean known(int opcode) {
        return COMMANDS.stream().anyMatch(c -> c.opcode() == opcode);
    }

    /** No promises about timeouts: both fields 0 mean "not specified". */
    private static byte[] timeoutsDescriptor() {
        byte[] t = new byte[12];
        t[1] = 0x0a;
        return t;
    }
}
