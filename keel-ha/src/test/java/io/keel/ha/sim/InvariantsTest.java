package io.keel.ha.sim;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.ha.ResourceKinds;
import org.junit.jupiter.api.Test;

/** The invariant checker must bite, or every scenario's "no VM ran twice" proves nothing. */
class InvariantsTest {
    private static Simulator sim(String cmds) {
        return new Simulator(new ScenarioParser(ResourceKinds.builtIn()).parse(cmds));
    }

    private static final String CLUSTER = """
            node node1
            node node2
            node node3 mem=2048 cpu=2
            resource vm:a node=node1 mem=2048 cpu=2
            run 0s
            """;

    @Test
    void aResourceOnTwoNodesFails() {
        Simulator s = sim(CLUSTER);
        s.nodes.get("node2").instances.put("vm:a", SimInstance.running());
        assertThatThrownBy(() -> check(s)).hasMessageContaining("vm:a runs on node1 and node2 at once");
    }

    @Test
    void anInstanceOutlivingItsNodesLeasesFails() {
        Simulator s = sim(CLUSTER);
        s.now = Simulator.EPOCH.plusSeconds(10);
        assertThatThrownBy(() -> check(s)).hasMessageContaining("vm:a still runs on node1, whose leases expired at 10s");
    }

    @Test
    void aCrashedInstanceHoldsNothingButAPausedOneDoes() {
        Simulator s = sim(CLUSTER);
        s.nodes.get("node2").instances.put("vm:a", SimInstance.running().failed("QEMU exited", false));
        check(s);
        s.nodes.get("node2").instances.put("vm:a", SimInstance.running().failed("paused on an I/O error", true));
        assertThatThrownBy(() -> check(s)).hasMessageContaining("at once");
    }

    @Test
    void aNodeOverItsCapacityFails() {
        Simulator s = sim(CLUSTER + "resource vm:b node=node3 mem=2048 cpu=2\n");
        s.nodes.get("node3").instances.put("vm:a", SimInstance.running());
        s.nodes.get("node1").instances.remove("vm:a");
        assertThatThrownBy(() -> check(s)).hasMessageContaining("node3 holds 4096 MiB/4 vCPU, over its capacity");
    }

    @Test
    void aStartOutsideTheAllowedNodesFails() {
        Simulator s = sim(CLUSTER + "resource iscsi:v1 allowed=node1,node2 state=stopped\n");
        s.requireAllowed("iscsi:v1", "node2");
        s.requireAllowed("vm:a", "node3");
        assertThatThrownBy(() -> s.requireAllowed("iscsi:v1", "node3"))
                .hasMessageContaining("iscsi:v1 sent to node3, outside its allowed nodes node1, node2");
    }

    private static void check(Simulator s) {
        new Invariants(s, s.config()).check("in the test", new EventLog(Simulator.EPOCH));
    }
}
