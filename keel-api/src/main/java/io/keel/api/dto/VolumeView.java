package io.keel.api.dto;

/**
 * A thin volume. {@code allocatedBytes} is the space its written chunks cover and
 * {@code physicalBytes} the raw space their replicas take. {@code health} is healthy, degraded
 * (some chunks have fewer replicas than the policy asks for) or unavailable (some chunk has none
 * reachable); {@code healthReason} says why and is null when healthy. {@code leaseHolder} is the
 * name of the node holding the write lease and {@code leaseEpoch} its epoch, both null when no
 * one does. {@code createdAt} is ISO-8601. {@code home} is the name of the node that last opened
 * the volume for writing (kept after it closes it; rebalancing keeps copies there), null if no
 * writer ever has. {@code leaseExpiresAt} is when the write lease runs out unless renewed (ISO-8601),
 * null when no one holds it: the HA engine restarts a lost node's VMs only after it (ADR 0031).
 * {@code redundancy} ("3 replicas") and {@code overhead} (raw bytes per byte of data) are the
 * policy's, and {@code rawSizeBytes} is the raw space the whole volume takes once fully written
 * (size times overhead); all three are null when the policy is gone.
 */
public record VolumeView(
        String id,
        String name,
        long sizeBytes,
        int chunkSizeBytes,
        String policy,
        long allocatedBytes,
        long physicalBytes,
        String health,
        String healthReason,
        long chunks,
        long degradedChunks,
        String leaseHolder,
        Long leaseEpoch,
        String createdAt,
        String home,
        String leaseExpiresAt,
        String redundancy,
        Double overhead,
        Long rawSizeBytes) {

    /** Without the lease's expiry (ADR 0031 added it). */
    public VolumeView(String id, String name, long sizeBytes, int chunkSizeBytes, String policy, long allocatedBytes,
            long physicalBytes, String health, String healthReason, long chunks, long degradedChunks,
            String leaseHolder, Long leaseEpoch, String createdAt, String home) {
        this(id, name, sizeBytes, chunkSizeBytes, policy, allocatedBytes, physicalBytes, health, healthReason, chunks,
                degradedChunks, leaseHolder, leaseEpoch, createdAt, home, null);
    }

    /** Without the policy's redundancy and overhead (ADR 0048 added them). */
    public VolumeView(String id, String name, long sizeBytes, int chunkSizeBytes, String policy, long allocatedBytes,
            long physicalBytes, String health, String healthReason, long chunks, long degradedChunks,
            String leaseHolder, Long leaseEpoch, String createdAt, String home, String leaseExpiresAt) {
        this(id, name, sizeBytes, chunkSizeBytes, policy, allocatedBytes, physicalBytes, health, healthReason, chunks,
                degradedChunks, leaseHolder, leaseEpoch, createdAt, home, leaseExpiresAt, null, null, null);
    }
}
