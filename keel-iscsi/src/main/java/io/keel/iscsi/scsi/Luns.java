package io.keel.iscsi.scsi;

import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The LUNs of one target: routes a command to its LUN and answers what no LUN answers (REPORT LUNS,
 * INQUIRY to a missing LUN, anything else to a missing LUN). LUNs come and go while sessions run;
 * every change raises REPORTED LUNS DATA HAS CHANGED (3Fh/0Eh) on the nexuses of this target, which
 * makes initiators rescan. Thread-safe.
 */
public final class Luns {
    static final Sense LUNS_CHANGED = Sense.of(Sense.UNIT_ATTENTION, 0x3f, 0x0e);

    private final NavigableMap<Integer, LogicalUnit> units = new ConcurrentSkipListMap<>();
    private final UnitAttentions attentions = new UnitAttentions();

    public Luns() {}

    public Luns(Map<Integer, LogicalUnit> units) {
        Objects.requireNonNull(units, "units");
        for (Map.Entry<Integer, LogicalUnit> e : units.entrySet()) {
            check(e.getKey());
            this.units.put(e.getKey(), Objects.requireNonNull(e.getValue(), "unit"));
        }
    }

    private static void check(int lun) {
        if (lun < 0 || lun > 255) {
            throw new IllegalArgumentException("LUN " + lun + " outside the peripheral addressing range 0-255");
        }
    }

    /** A live, unmodifiable view. */
    public Map<Integer, LogicalUnit> units() {
        return Collections.unmodifiableMap(units);
    }

    /**
     * Adds or replaces LUN {@code lun}.
     *
     * @return the unit it replaced, if any (the caller detaches and closes its storage)
     */
    public Optional<LogicalUnit> put(int lun, LogicalUnit unit) {
        check(lun);
        Objects.requireNonNull(unit, "unit");
        LogicalUnit old = units.put(lun, unit);
        if (old != unit) {
            attentions.raiseAll(LUNS_CHANGED);
        }
        return Optional.ofNullable(old);
    }

    /** Removes LUN {@code lun}: it leaves REPORT LUNS, and commands to it fail with LOGICAL UNIT NOT SUPPORTED. */
    public Optional<LogicalUnit> remove(int lun) {
        LogicalUnit old = units.remove(lun);
        if (old != null) {
            attentions.raiseAll(LUNS_CHANGED);
        }
        return Optional.ofNullable(old);
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
        String nexus = r.nexus().initiatorPort();
        attentions.seen(nexus);
        if (op == Cdbs.REPORT_LUNS) {
            // The command that answers the condition clears it (SPC-4 6.33).
            ScsiResult result = reportLuns(r);
            if (result.status() == ScsiStatus.GOOD) {
                attentions.clear(nexus, LUNS_CHANGED);
            }
            return result;
        }
        LogicalUnit unit = units.get(decode(lunField));
        if (op != Cdbs.INQUIRY) {
            Optional<Sense> ua = attentions.take(nexus);
            if (ua.isPresent()) {
                return op == Cdbs.REQUEST_SENSE ? ScsiResult.good(Cdbs.fit(ua.get().fixed(), r.u8(4)))
                        : ScsiResult.check(ua.get());
            }
        }
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
        Integer[] numbers = units.keySet().toArray(Integer[]::new); // one snapshot for length and list
        ByteBuffer b = ByteBuffer.allocate(8 + 8 * numbers.length);
        b.putInt(0, 8 * numbers.length);
        int at = 8;
        for (int lun : numbers) {
            b.putLong(at, encode(lun));
            at += 8;
        }
        return ScsiResult.good(Cdbs.fit(b.array(), allocation));
    }
}
