package io.keel.iscsi.scsi;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The ports through which a target group reaches its LUNs, seen from one node: {@code local} is
 * this node's port, {@code all} every port of the group (this one included), in the order REPORT
 * TARGET PORT GROUPS lists them. Several ports may share a group.
 */
public record TargetPorts(TargetPort local, List<TargetPort> all) {
    public TargetPorts {
        Objects.requireNonNull(local, "local");
        all = List.copyOf(Objects.requireNonNull(all, "all"));
        if (!all.contains(local)) {
            throw new IllegalArgumentException("the local port " + local + " is not among " + all);
        }
        Set<Integer> ids = new HashSet<>();
        for (TargetPort p : all) {
            if (!ids.add(p.relativePortId())) {
                throw new IllegalArgumentException("relative target port id " + p.relativePortId() + " used twice");
            }
        }
    }

    /** One port (relative id 1) in one group (id 1): a standalone target. */
    public static TargetPorts single() {
        TargetPort p = new TargetPort(1, 1);
        return new TargetPorts(p, List.of(p));
    }

    /**
     * One port per group, its relative port id equal to the group id: how the node lays out a
     * target group (one target and one group per node).
     *
     * @param localGroup this node's group id
     * @param allGroups  the group ids of every node of the target group, this one included
     */
    public static TargetPorts onePerGroup(int localGroup, List<Integer> allGroups) {
        Objects.requireNonNull(allGroups, "allGroups");
        List<TargetPort> ports = new ArrayList<>();
        for (int g : allGroups) {
            ports.add(new TargetPort(g, g));
        }
        return new TargetPorts(new TargetPort(localGroup, localGroup), ports);
    }

    /** The group ids in listing order, each once. */
    public List<Integer> groupIds() {
        return all.stream().map(TargetPort::groupId).distinct().toList();
    }

    public List<Integer> relativePortIds() {
        return all.stream().map(TargetPort::relativePortId).toList();
    }
}
