package io.keel.meta.cluster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Typed, read-only view of the iSCSI part of the cluster state (ADR 0033), decoding on every call
 * like {@link ClusterState}. Keys:
 * <pre>
 *   iscsi/group/&lt;id&gt;   {@link IscsiTargetGroup}
 *   iscsi/secret/&lt;id&gt;  {@link IscsiSecrets} of that group, when it uses CHAP
 *   iscsi/pr/&lt;volume&gt;  {@link IscsiReservation}, the LUN's persistent reservation state
 * </pre>
 */
public final class IscsiState {
    public static final String GROUP_PREFIX = "iscsi/group/";
    public static final String SECRET_PREFIX = "iscsi/secret/";
    public static final String RESERVATION_PREFIX = "iscsi/pr/";

    private final ClusterState state;

    IscsiState(ClusterState state) {
        this.state = Objects.requireNonNull(state, "state");
    }

    static String groupKey(String id) {
        return GROUP_PREFIX + id;
    }

    static String secretKey(String groupId) {
        return SECRET_PREFIX + groupId;
    }

    static String reservationKey(String volumeId) {
        return RESERVATION_PREFIX + volumeId;
    }

    /** Every group, in name order. */
    public List<IscsiTargetGroup> groups() {
        List<IscsiTargetGroup> all = new ArrayList<>(state.scan(GROUP_PREFIX, IscsiTargetGroup.class));
        all.sort(Comparator.comparing(IscsiTargetGroup::name));
        return List.copyOf(all);
    }

    public Optional<IscsiTargetGroup> group(String id) {
        return load(groupKey(Objects.requireNonNull(id, "id")), IscsiTargetGroup.class);
    }

    /** The group with id {@code s}, else the one named {@code s}. */
    public Optional<IscsiTargetGroup> groupByIdOrName(String s) {
        Objects.requireNonNull(s, "group");
        return group(s).or(() -> groups().stream().filter(g -> g.name().equals(s)).findFirst());
    }

    /** The groups with a target on {@code nodeId}. */
    public List<IscsiTargetGroup> groupsOn(String nodeId) {
        return groups().stream().filter(g -> g.target(nodeId).isPresent()).toList();
    }

    /** The group presenting volume {@code volumeId} as a LUN, if any (a volume is in at most one). */
    public Optional<IscsiTargetGroup> groupOfVolume(String volumeId) {
        return groups().stream().filter(g -> g.lunOf(volumeId).isPresent()).findFirst();
    }

    public Optional<IscsiSecrets> secrets(String groupId) {
        return load(secretKey(groupId), IscsiSecrets.class);
    }

    public Optional<IscsiReservation> reservation(String volumeId) {
        return load(reservationKey(volumeId), IscsiReservation.class);
    }

    private <T> Optional<T> load(String key, Class<T> type) {
        return state.load(key, type);
    }
}
