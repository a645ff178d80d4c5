package io.keel.node.iscsi;

import io.keel.ha.LocalInstance;
import java.util.Map;

/**
 * The local resource manager's hands for LUN active paths (ADR 0033): starting one opens the
 * volume for writing (its write lease) and makes this node's port group active/optimized for the
 * LUN; stopping or killing it closes the volume and leaves the path standby. Starting happens in
 * the background, since taking a lease is a metadata write the local step must not wait for.
 */
public interface LunPaths {
    /** This node's active paths by HA resource id ({@code iscsi:<volume>}): starting, running or failed. */
    Map<String, LocalInstance> instances();

    void start(String volumeId);

    /** Stop and kill alike: closing the volume is immediate, and a self-fence must not wait for the network. */
    void stop(String volumeId, String why);

    /** A node that serves no iSCSI. */
    static LunPaths none() {
        return new LunPaths() {
            @Override
            public Map<String, LocalInstance> instances() {
                return Map.of();
            }

            @Override
            public void start(String volumeId) {}

            @Override
            public void stop(String volumeId, String why) {}
        };
    }
}
