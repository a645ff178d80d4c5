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
        String leaseExpiresAt) {

    /** Without the lease's expiry (ADR 0031 added it). */
    public VolumeView(String id, String name, long sizeBytes, int chunkSizeBytes, String policy, long allocatedBytes,
            long physicalBytes, String health, String healthReason, long chunks, long degradedChunks,
            String leaseHolder, Long leaseEpoch, String createdAt, String home) {
        this(id, name, sizeBytes, chunkSizeBytes, policy, allocatedBytes, physicalBytes, health, healthReason, chunks,
                degradedChunks, leaseHolder, leaseEpoch, createdAt, home, null);
    }
}
