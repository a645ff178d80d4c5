package io.keel.iscsi.target;

import io.keel.iscsi.login.AccessPolicy;
import io.keel.iscsi.scsi.LunBackend;
import java.util.Map;
import java.util.Objects;

/**
 * One target: its IQN, its LUNs by number, and who may log in. The CHAP secrets inside
 * {@code access} print as *** (see {@link io.keel.iscsi.login.ChapSecret}).
 */
public record TargetConfig(String iqn, Map<Integer, LunBackend> luns, AccessPolicy access) {
    public TargetConfig {
        Objects.requireNonNull(iqn, "iqn");
        luns = Map.copyOf(Objects.requireNonNull(luns, "luns"));
        Objects.requireNonNull(access, "access");
        if (!(iqn.startsWith("iqn.") || iqn.startsWith("eui.") || iqn.startsWith("naa.")) || iqn.length() > 223) {
            throw new IllegalArgumentException("not an iSCSI name: " + iqn);
        }
    }
}
