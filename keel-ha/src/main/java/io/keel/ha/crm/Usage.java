package io.keel.ha.crm;

import io.keel.ha.Capacity;
import io.keel.ha.ResourceSpec;
import io.keel.ha.ResourceStatus;
import java.util.HashMap;
import java.util.Map;

/** What the statuses hold of each node's capacity. */
final class Usage {
    private Usage() {}

    /**
     * A resource holds its node while it runs, stops or is frozen there (it comes back), and both
     * ends while it moves: a target is reserved from the moment the move is decided, which is what
     * keeps two resources from choosing the last free slot of a node in one step.
     */
    static Map<String, Capacity> of(Map<String, ResourceStatus> statuses, Map<String, ResourceSpec> specs) {
        Map<String, Capacity> used = new HashMap<>();
        statuses.forEach((id, st) -> {
            ResourceSpec spec = specs.get(id);
            if (spec == null) {
                return;
            }
            Capacity demand = spec.placementDemand();
            switch (st.state()) {
                case STARTED, REQUEST_STOP, FREEZE, FENCE -> add(used, st.node(), demand);
                case MIGRATE, RELOCATE -> {
                    add(used, st.node(), demand);
                    add(used, st.target(), demand);
                }
                case STOPPED, RECOVERY, ERROR -> { }
            }
        });
        return used;
    }

    static void add(Map<String, Capacity> used, String node, Capacity demand) {
        if (node != null) {
            used.merge(node, demand, Capacity::plus);
        }
    }
}
