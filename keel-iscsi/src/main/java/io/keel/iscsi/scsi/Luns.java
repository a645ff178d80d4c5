package io.keel.iscsi.scsi;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The LUNs of one target: routes a command to its LUN and answers what no LUN answers (REPORT LUNS,
 * INQUIRY to a missing LUN, anything else to a missing LUN).
 */
public final class Luns {
    private final TreeMap<Integer, LogicalUnit> units;

    public Luns(Map<Integer, LogicalUnit> units) {
        Objects.requireNonNull(units, "units");
        this.units = new TreeMap<>(units);
        for (int lun : this.units.keySet()) {
            if (lun < 0 || lun > 255) {
                throw new IllegalArgumentException("LUN " + lun + " outside the peripheral addressing range 0-255");
            }
        }
    }

    public Map<Integer, LogicalUnit> units() {
        return java.util.Collections.unmodifiableMap(units);
    }

    /** The LUN number in a raw 8-byte LUN field (peripheral or flat addressing), or -1. */
    public static int decode(long lunField) {
        int method = (int) (lunField >>> 62);
        if ((lunField & 0x0000ffffffffffffL) != 0 || (method != 0 && method != 1)) {
            return -1;
        }
        return (int) ((lunField >>> 48) & 0x3fff);
    }

    public static long encode(int lun) {
        return lun < 256 ? ((long) lun << 48) : ((0x4000L | lun) << 48);
    }

    public ScsiResult execute(long lunField, ScsiRequest r) {
        int op = r.u8(0);
        if (op == Cdbs.REPORT_LUNS) {
            return reportLuns(r);
        }
        LogicalUnit unit = units.get(decode(lunField));
        if (unit != null) {
            return unit.execute(r);
        }
        if (op == Cdbs.INQUIRY && (r.u8(1) & 0x01) == 0) {
            return ScsiResult.good(Cdbs.fit(Inquiry.standard(3), r.u16(3)));
        }
        if (op == Cdbs.REQUEST_SENSE) {
            return ScsiResult.good(Cdbs.fit(Sense.lunNotSupported().fixed(), r.u8(4)));
        }
        return ScsiResult.check(Sense.lunNotSupported());
    }

    private ScsiResult reportLuns(ScsiRequest r) {
        int select = r.u8(2);
        if (select > 2) {
            return ScsiResult.check(Sense.invalidFieldInCdb(2));
        }
        long allocation = r.u32(6);
        if (allocation < 16) {
            return ScsiResult.check(Sense.invalidFieldInCdb(6));
        }
        ByteBuffer b = ByteBuffer.allocate(8 + 8 * units.size());
        b.putInt(0, 8 * units.size());
        int at = 8;
        for (int lun : units.keySet()) {
            b.putLong(at, encode(lun));
            at += 8;
        }
        return ScsiResult.good(Cdbs.fit(b.array(), allocation));
    }
}
