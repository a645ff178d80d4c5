package io.keel.iscsi.session;

import io.keel.iscsi.pdu.Pdu;
import io.keel.iscsi.scsi.Luns;
import java.util.Map;

/**
 * Task management functions (RFC 7143 11.5). The connection lets running commands finish and
 * answer before it calls {@link #handle} (they are short: one backend I/O each), so the only tasks
 * a function can still find are writes waiting for Data-Out; aborting one discards its buffer, and
 * its late Data-Out is then ignored. A command that finished first is answered normally and no
 * longer exists for ABORT TASK, exactly as if it had completed before the request arrived; so no
 * aborted task ever answers after the function's response (RFC 7143 11.5.1).
 */
final class TaskManagement {
    static final int ABORT_TASK = 1;
    static final int ABORT_TASK_SET = 2;
    static final int CLEAR_ACA = 3;
    static final int CLEAR_TASK_SET = 4;
    static final int LUN_RESET = 5;
    static final int TARGET_WARM_RESET = 6;
    static final int TARGET_COLD_RESET = 7;
    static final int TASK_REASSIGN = 8;

    static final int COMPLETE = 0;
    static final int NO_TASK = 1;
    static final int NO_LUN = 2;
    static final int REASSIGN_UNSUPPORTED = 4;
    static final int NOT_SUPPORTED = 5;

    private final Map<Integer, WriteTask> writes;

    TaskManagement(Map<Integer, WriteTask> writes) {
        this.writes = writes;
    }

    /** The response code for {@code t}; {@code luns} is null if the target went away. */
    int handle(Pdu.TaskMgmtRequest t, Luns luns, int expCmdSn) {
        int lun = Luns.decode(t.lun());
        boolean lunExists = luns != null && luns.units().containsKey(lun);
        return switch (t.function()) {
            case ABORT_TASK -> {
                WriteTask task = writes.get(t.referencedTag());
                if (task != null && task.lun() == t.lun()) {
                    writes.remove(t.referencedTag());
                    yield COMPLETE;
                }
                // A command we already answered no longer exists (initiators expect "task does not
                // exist" then); one not yet arrived counts as received and aborted (RFC 7143 11.6.1).
                yield Sequence.lessThan(t.refCmdSn(), expCmdSn) ? NO_TASK : COMPLETE;
            }
            case ABORT_TASK_SET, CLEAR_TASK_SET, LUN_RESET -> {
                if (!lunExists) {
                    yield NO_LUN;
                }
                writes.values().removeIf(w -> w.lun() == t.lun());
                if (t.function() == LUN_RESET) {
                    luns.units().get(lun).reset(false);
                }
                yield COMPLETE;
            }
            case TARGET_WARM_RESET -> {
                writes.clear();
                yield COMPLETE;
            }
            case TASK_REASSIGN -> REASSIGN_UNSUPPORTED;
            default -> NOT_SUPPORTED; // CLEAR ACA (we never enter ACA), TARGET COLD RESET
        };
    }
}
