package io.keel.meta.cluster;

import java.time.Instant;
import java.util.List;

/** The commands of iSCSI target groups (ADR 0033), applied by {@link IscsiCommands}. */
public final class IscsiCommand {
    private IscsiCommand() {}

    /** A node of a new group and the address its portal listens on (null: its management address). */
    public record NodeAddress(String nodeId, String address) {}

    /** A new group; the targets' IQNs and port groups are derived when it is applied. */
    public record CreateGroup(String id, String name, List<NodeAddress> nodes, Instant at)
            implements ClusterCommand.Iscsi {}

    /** Deletes a group that has no LUNs left. */
    public record DeleteGroup(String groupId) implements ClusterCommand.Iscsi {}

    /**
     * Replaces the group's access control. A null {@code chapSecret} with the same {@code chapUser}
     * keeps the stored secret (so the initiator list can change without retyping it); likewise for
     * the mutual pair.
     */
    public record SetAccess(String groupId, List<String> initiators, String chapUser, String chapSecret,
            String mutualChapUser, String mutualChapSecret) implements ClusterCommand.Iscsi {
        @Override
        public String toString() {
            return "SetAccess[groupId=" + groupId + ", initiators=" + initiators + ", chapUser=" + chapUser
                    + ", chapSecret=" + (chapSecret == null ? "null" : "***") + ", mutualChapUser=" + mutualChapUser
                    + ", mutualChapSecret=" + (mutualChapSecret == null ? "null" : "***") + "]";
        }
    }

    /** Presents a volume as a LUN of the group; {@code lun} null takes the lowest free number. */
    public record AttachLun(String groupId, String volumeId, Integer lun) implements ClusterCommand.Iscsi {}

    public record DetachLun(String groupId, int lun) implements ClusterCommand.Iscsi {}

    /**
     * Compare-and-set of a LUN's persistent reservation state: applies only while the stored version
     * is {@code expectedVersion} (0: none stored yet), and stores {@code state} as the next version.
     */
    public record ReplaceReservation(String volumeId, long expectedVersion, String state)
            implements ClusterCommand.Iscsi {}
}
