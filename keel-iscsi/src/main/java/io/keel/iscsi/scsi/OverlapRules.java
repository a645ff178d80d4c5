package io.keel.iscsi.scsi;

import static io.keel.iscsi.scsi.Cdbs.*;

/**
 * Which commands may run at the same time as others of a task set. Only plain data commands: their
 * outcome depends on nothing but the blocks they name, which SIMPLE tasks leave unordered anyway
 * (SAM-5 8.6). COMPARE AND WRITE is among them because {@link BlockCommands} makes it atomic
 * against every other write. Everything else (reservations, mode, sense, SYNCHRONIZE CACHE, unit
 * attention reporting in REQUEST SENSE) must see the commands before it finished.
 */
public final class OverlapRules {
    private OverlapRules() {}

    public static boolean mayOverlap(byte[] cdb) {
        if (cdb.length == 0) {
            return false;
        }
        return switch (cdb[0] & 0xff) {
            case READ_6, READ_10, READ_12, READ_16, WRITE_6, WRITE_10, WRITE_12, WRITE_16, WRITE_AND_VERIFY_10,
                    WRITE_AND_VERIFY_12, WRITE_AND_VERIFY_16, VERIFY_10, VERIFY_12, VERIFY_16, WRITE_SAME_10,
                    WRITE_SAME_16, UNMAP, COMPARE_AND_WRITE -> true;
            default -> false;
        };
    }
}
