package io.keel.iscsi.session;

import io.keel.iscsi.login.LoginMachine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CmdSN window of a session (RFC 7143 4.2.2.1): ExpCmdSN and MaxCmdSN = ExpCmdSN + 63. Only the
 * connection's reader admits commands; task threads and the keepalive timer read the window for the
 * PDUs they send, hence volatile.
 */
final class CommandWindow {
    private static final Logger log = LoggerFactory.getLogger(CommandWindow.class);

    private final String peer;
    private volatile int expCmdSn;

    CommandWindow(int expCmdSn, String peer) {
        this.expCmdSn = expCmdSn;
        this.peer = peer;
    }

    int expCmdSn() {
        return expCmdSn;
    }

    int maxCmdSn() {
        return expCmdSn + LoginMachine.COMMAND_WINDOW - 1;
    }

    /** Applies CmdSN rules; false means the PDU is dropped. Reader thread only. */
    boolean admit(boolean immediate, int cmdSn) {
        if (immediate) {
            return true;
        }
        int exp = expCmdSn;
        if (cmdSn == exp) {
            expCmdSn = exp + 1;
            return true;
        }
        if (Sequence.lessThan(cmdSn, exp) || Sequence.lessThan(maxCmdSn(), cmdSn)) {
            log.warn("iSCSI {}: dropping command with CmdSN {} outside the window [{}, {}]", peer,
                    Integer.toUnsignedString(cmdSn), Integer.toUnsignedString(exp),
                    Integer.toUnsignedString(maxCmdSn()));
            return false;
        }
        // One connection per session: a gap can never be filled, so take the command as the next.
        expCmdSn = cmdSn + 1;
        return true;
    }
}
