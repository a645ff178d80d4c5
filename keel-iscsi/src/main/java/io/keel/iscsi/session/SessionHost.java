package io.keel.iscsi.session;

import io.keel.iscsi.scsi.Luns;
import java.util.List;
import java.util.Optional;

/** What a full feature phase needs from the target around it. Must be thread-safe. */
public interface SessionHost {

    /** The LUNs of the named target, or empty if it went away. */
    Optional<Luns> luns(String targetName);

    /** SendTargets answer pairs, TargetName then its TargetAddress values, for every visible target. */
    List<String[]> sendTargets(String initiatorName, String localAddress);

    /** The relative target port id through which the named target's LUNs are reached (SPC-4 3.1.120). */
    default int relativeTargetPort(String targetName) {
        return 1;
    }

    /** Applies TARGET WARM RESET to every session of the target (RFC 7143 11.5.1). */
    default void targetReset(String targetName) {}
}
