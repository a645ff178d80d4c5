package io.keel.iscsi.scsi;

/**
 * One target port of a target group: its relative target port identifier and the target port
 * group (one per node) it belongs to. Both are chosen by the node and must be unique in the group,
 * because initiators and the stored reservations tell the ports apart by them.
 */
public record TargetPort(int relativePortId, int groupId) {
    public TargetPort {
        // Relative port 0 is reserved (SPC-4 7.8.6.8); both fields are 16 bits on the wire.
        if (relativePortId < 1 || relativePortId > 0xffff) {
            throw new IllegalArgumentException("relative target port id " + relativePortId + " outside 1-65535");
        }
        if (groupId < 0 || groupId > 0xffff) {
            throw new IllegalArgumentException("target port group id " + groupId + " outside 0-65535");
        }
    }
}
