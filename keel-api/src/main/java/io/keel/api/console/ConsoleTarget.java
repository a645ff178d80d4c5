package io.keel.api.console;

import java.nio.file.Path;
import java.util.Objects;

/** Where a VM's console can be reached from the node answering the request. */
public sealed interface ConsoleTarget {
    /** The VM runs on this node: QEMU listens on {@code unixSocket} (serial.sock or vnc.sock in its runtime dir). */
    record Local(Path unixSocket) implements ConsoleTarget {
        public Local {
            Objects.requireNonNull(unixSocket, "unixSocket");
        }
    }

    /**
     * The VM runs on another node, whose API serves the console on its internal route.
     *
     * @param nodeId  the hosting node's id, for messages
     * @param address the hosting node's API address (host name or IP literal)
     * @param apiPort the hosting node's API port
     * @param tls     whether that API speaks HTTPS (the cluster's setting)
     */
    record Remote(String nodeId, String address, int apiPort, boolean tls) implements ConsoleTarget {
        public Remote {
            Objects.requireNonNull(nodeId, "nodeId");
            Objects.requireNonNull(address, "address");
            if (apiPort < 1 || apiPort > 65535) {
                throw new IllegalArgumentException("apiPort out of range: " + apiPort);
            }
        }
    }
}
