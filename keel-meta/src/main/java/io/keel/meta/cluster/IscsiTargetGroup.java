package io.keel.meta.cluster;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An iSCSI target group (ADR 0033): one target per node, each with its own IQN and portal, and
 * LUNs that every target of the group presents. Per LUN one target is the active/optimized ALUA
 * path (its node holds the volume's write lease) and the others are standby; which one is the HA
 * engine's decision, kept in its status, not here.
 */
public record IscsiTargetGroup(String id, String name, List<Target> targets, List<Lun> luns, Access access,
        Instant createdAt) {

    /** LUN numbers initiators see: peripheral device addressing (SAM-5 4.7.6), which every initiator reads. */
    public static final int MAX_LUN = 255;

    public IscsiTargetGroup {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        targets = List.copyOf(targets);
        luns = luns.stream().sorted(Comparator.comparingInt(Lun::lun)).toList();
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /**
     * One node's target.
     *
     * @param address   the IP address its portal listens on; null means the node's management address
     * @param portGroup the ALUA target port group of this node's port, also its relative target
     *                  port identifier: 1, 2, ... in the order the nodes were given, fixed for life
     */
    public record Target(String nodeId, String iqn, String address, int portGroup) {
        public Target {
            Objects.requireNonNull(nodeId, "nodeId");
            Objects.requireNonNull(iqn, "iqn");
            if (portGroup < 1 || portGroup > 65535) {
                throw new IllegalArgumentException("port group " + portGroup + " is out of range 1-65535");
            }
        }
    }

    public record Lun(int lun, String volumeId) {
        public Lun {
            Objects.requireNonNull(volumeId, "volumeId");
            if (lun < 0 || lun > MAX_LUN) {
                throw new IllegalArgumentException("LUN " + lun + " is out of range 0-" + MAX_LUN);
            }
        }
    }

    /**
     * Who may log in. The CHAP secrets are kept apart ({@link IscsiSecrets}) so that no view of a
     * group can carry them by accident.
     *
     * @param initiators     initiator names allowed in; empty means any initiator
     * @param chapUser       the name initiators authenticate with; null means no CHAP
     * @param mutualChapUser the name the targets answer mutual CHAP with; null means no mutual CHAP
     */
    public record Access(List<String> initiators, String chapUser, String mutualChapUser) {
        public static final Access OPEN = new Access(List.of(), null, null);

        public Access {
            initiators = List.copyOf(initiators);
            if (mutualChapUser != null && chapUser == null) {
                throw new IllegalArgumentException("mutual CHAP needs CHAP");
            }
        }
    }

    public Optional<Target> target(String nodeId) {
        return targets.stream().filter(t -> t.nodeId().equals(nodeId)).findFirst();
    }

    public Optional<Lun> lun(int lun) {
        return luns.stream().filter(l -> l.lun() == lun).findFirst();
    }

    public Optional<Lun> lunOf(String volumeId) {
        return luns.stream().filter(l -> l.volumeId().equals(volumeId)).findFirst();
    }

    public List<String> nodeIds() {
        return targets.stream().map(Target::nodeId).toList();
    }

    public IscsiTargetGroup withLuns(List<Lun> next) {
        return new IscsiTargetGroup(id, name, targets, next, access, createdAt);
    }

    public IscsiTargetGroup withAccess(Access next) {
        return new IscsiTargetGroup(id, name, targets, luns, next, createdAt);
    }
}
