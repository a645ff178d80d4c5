package io.keel.iscsi.login;

import java.util.Objects;

/**
 * A login that reached the full feature phase.
 *
 * @param targetName empty for a discovery session
 * @param expCmdSn   the CmdSN the full feature phase expects first
 * @param statSn     the StatSN of the next response on this connection
 */
public record LoginResult(boolean discovery, String initiatorName, String targetName, long isid, int tsih, int cid,
        SessionParams params, int expCmdSn, int statSn) {
    public LoginResult {
        Objects.requireNonNull(initiatorName, "initiatorName");
        Objects.requireNonNull(targetName, "targetName");
        Objects.requireNonNull(params, "params");
    }
}
