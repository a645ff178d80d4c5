package io.keel.ha;

/** Why the CRM moved or restarted a resource, kept with it so the event that ends the move can say. */
public enum MoveCause {
    FAILURE,
    NODE_LOST,
    MAINTENANCE,
    SHUTDOWN,
    MIGRATE_BACK,
    /** The administrator took its node out of its allowed nodes (an iSCSI target group changed). */
    ALLOWED_NODES;

    public String label() {
        return switch (this) {
            case FAILURE -> "after failures";
            case NODE_LOST -> "node lost";
            case MAINTENANCE -> "maintenance";
            case SHUTDOWN -> "shutdown";
            case MIGRATE_BACK -> "migrate back";
            case ALLOWED_NODES -> "its node is no longer allowed";
        };
    }
}
