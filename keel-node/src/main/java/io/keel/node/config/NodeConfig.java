package io.keel.node.config;

import io.keel.node.inventory.DirectoryDisk;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything a node daemon is told at start. Built by {@link NodeConfigLoader} from a YAML file
 * and command-line flags (flags win).
 *
 * @param name node name shown to administrators; unique in the cluster
 * @param dataDir where the node keeps its identity, metadata replica, certificates and logs
 * @param bindAddress address the API and Raft listen on
 * @param advertiseAddress address other nodes use to reach this one
 * @param tls serve the API over HTTPS with a generated self-signed certificate
 * @param heartbeatInterval how often this node tells the others it is alive
 * @param detectionTime how long without a heartbeat before a node is Unhealthy
 * @param superadminPasswordFile on bootstrap, a file holding the superadmin password to use
 *     instead of generating one (null: generate)
 * @param storage NBD port, self-healing grace period and background rates
 * @param compute the accelerator setting for VMs
 * @param iscsiPort the port this node's iSCSI portals listen on (RFC 7143's 3260 by default); 0
 *     turns the iSCSI target off
 * @param s3PortOffset added to the S3 cluster's ports by this node's gateway, so that several
 *     nodes on one host (the embedded cluster) do not all claim the same ports; 0 elsewhere
 */
public record NodeConfig(
        String name,
        Path dataDir,
        String bindAddress,
        String advertiseAddress,
        int apiPort,
        int raftPort,
        boolean tls,
        Duration heartbeatInterval,
        Duration detectionTime,
        List<DirectoryDisk> directoryDisks,
        Path superadminPasswordFile,
        StorageConfig storage,
        ComputeConfig compute,
        int iscsiPort,
        int s3PortOffset) {

    public static final int DEFAULT_API_PORT = 8888;
    public static final int DEFAULT_ISCSI_PORT = 3260;
    public static final int DEFAULT_RAFT_PORT = 9880;
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_DETECTION_TIME = Duration.ofSeconds(10);

    public NodeConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(advertiseAddress, "advertiseAddress");
        Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
        Objects.requireNonNull(detectionTime, "detectionTime");
        directoryDisks = List.copyOf(directoryDisks);
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(compute, "compute");
        checkPort("apiPort", apiPort);
        checkPort("raftPort", raftPort);
        if (iscsiPort != 0) {
            checkPort("iscsi.port", iscsiPort);
        }
        if (s3PortOffset < 0 || s3PortOffset > 1000) {
            throw new IllegalArgumentException("s3.portOffset must be 0-1000, got " + s3PortOffset);
        }
        if (apiPort == raftPort) {
            throw new IllegalArgumentException("apiPort and raftPort must differ, both are " + apiPort);
        }
        if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
            throw new IllegalArgumentException("heartbeatInterval must be positive");
        }
        if (detectionTime.compareTo(heartbeatInterval.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("detectionTime (" + Durations.format(detectionTime)
                    + ") must be at least twice heartbeatInterval (" + Durations.format(heartbeatInterval) + ")");
        }
    }

    private static void checkPort(String what, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(what + " must be 1-65535, got " + port);
        }
    }

    public String apiAddress() {
        return advertiseAddress + ":" + apiPort;
    }
}
