package io.keel.ha;

/** The CRM's view of a node, persisted in the manager status. */
public enum NodeState {
    ONLINE,
    /** Silent for longer than the detection time; nothing that may run there needs fencing yet. */
    UNKNOWN,
    /** Lost with resources that may still run there: waiting until its leases have certainly expired. */
    FENCE,
    /** Its leases have expired and it runs nothing: its resources were recovered or stranded. */
    FENCED,
    /** Evacuated (maintenance or graceful shutdown) and out of the scheduling pool. */
    MAINTENANCE;

    public String label() {
        return this == FENCE ? "fencing" : name().toLowerCase(java.util.Locale.ROOT);
    }
}
