package io.keel.iscsi.scsi;

import java.util.List;
import java.util.Objects;

/**
 * The ALUA view of a LUN's paths, answered by REPORT TARGET PORT GROUPS. The HA engine will
 * supply the real states; until then one active/optimized group holds our only port.
 */
public interface PortGroups {

    int ACTIVE_OPTIMIZED = 0x0;
    int ACTIVE_NON_OPTIMIZED = 0x1;
    int STANDBY = 0x2;
    int UNAVAILABLE = 0x3;
    int TRANSITIONING = 0xf;

    record Group(int id, int state, List<Integer> relativeTargetPorts) {
        public Group {
            relativeTargetPorts = List.copyOf(Objects.requireNonNull(relativeTargetPorts, "relativeTargetPorts"));
        }
    }

    List<Group> groups();

    /** The group holding {@code relativeTargetPort}. */
    default int groupOf(int relativeTargetPort) {
        for (Group g : groups()) {
            if (g.relativeTargetPorts().contains(relativeTargetPort)) {
                return g.id();
            }
        }
        return groups().isEmpty() ? 0 : groups().getFirst().id();
    }

    static PortGroups single() {
        List<Group> one = List.of(new Group(1, ACTIVE_OPTIMIZED, List.of(1)));
        return () -> one;
    }
}
