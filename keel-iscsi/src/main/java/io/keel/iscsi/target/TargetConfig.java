package io.keel.iscsi.target;

import io.keel.iscsi.login.AccessPolicy;
import io.keel.iscsi.scsi.LunBackend;
import io.keel.iscsi.scsi.TargetPorts;
import java.util.Map;
import java.util.Objects;

/**
 * A target configured up front (a standalone server, tests): its IQN, its LUNs by number, each
 * active over its backend with its reservations in memory, its ports and who may log in. The CHAP
 * secrets inside {@code access} print as *** (see {@link io.keel.iscsi.login.ChapSecret}). Targets
 * of a target group are built at run time through {@link IscsiServer#addTarget} instead.
 */
public record TargetConfig(String iqn, Map<Integer, LunBackend> luns, AccessPolicy access, TargetPorts ports) {
    public TargetConfig {
        checkName(iqn);
        luns = Map.copyOf(Objects.requireNonNull(luns, "luns"));
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(ports, "ports");
    }

    /** One port in one group. */
    public TargetConfig(String iqn, Map<Integer, LunBackend> luns, AccessPolicy access) {
        this(iqn, luns, access, TargetPorts.single());
    }

    static String checkName(String iqn) {
        Objects.requireNonNull(iqn, "iqn");
        if (!(iqn.startsWith("iqn.") || iqn.startsWith("eui.") || iqn.startsWith("naa.")) || iqn.length() > 223) {
            throw new IllegalArgumentException("not an iSCSI name: " + iqn);
        }
        return iqn;
    }
}
