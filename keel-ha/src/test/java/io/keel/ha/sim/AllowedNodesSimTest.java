package io.keel.ha.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.ha.ResourceKinds;
import io.keel.ha.ResourceState;
import io.keel.ha.ResourceStatus;
import org.junit.jupiter.api.Test;

/**
 * iSCSI LUN paths restricted to their target group, checked on the state the simulated cluster
 * reaches (the manager's persisted status and where instances run) at chosen virtual times. The
 * scenario folders {@code iscsi-*} replay the same situations event by event.
 */
class AllowedNodesSimTest {
    /** node3 is busy, node4 empty and outside the group: drs would pick node4 for anything else. */
    private static final String LOSS = """
            node node1
            node node2
            node node3
            node node4
            resource vm:a node=node3 mem=4096 cpu=4
            resource vm:b node=node3 mem=2048 cpu=2
            resource iscsi:v1 node=node2 allowed=node2,node3
            at 20s kill node2
            """;

    private static Simulator runUntil(String cmds, long seconds) {
        Simulator sim = new Simulator(new ScenarioParser(ResourceKinds.builtIn()).parse(cmds + "run " + seconds + "s\n"));
        sim.run();
        return sim;
    }

    private static ResourceStatus status(Simulator sim, String id) {
        return sim.persisted.resources().get(id);
    }

    private static String host(Simulator sim, String id) {
        return sim.nodes.values().stream().filter(n -> n.instances.containsKey(id)).map(n -> n.name).findFirst()
                .orElse(null);
    }

    @Test
    void aLostNodesPathWaitsForTheLeaseExpiryThenRunsOnTheOtherGroupNodeOnly() {
        // node2's last contact is 19 s, its leases expire at 29 s.
        Simulator fencing = runUntil(LOSS, 28);
        assertThat(status(fencing, "iscsi:v1").state()).isEqualTo(ResourceState.FENCE);
        assertThat(status(fencing, "iscsi:v1").node()).isEqualTo("node2");
        assertThat(host(fencing, "iscsi:v1")).isNull();

        Simulator recovered = runUntil(LOSS, 35);
        assertThat(status(recovered, "iscsi:v1").state()).isEqualTo(ResourceState.STARTED);
        assertThat(status(recovered, "iscsi:v1").node()).isEqualTo("node3");
        assertThat(status(recovered, "iscsi:v1").confirmed()).isTrue();
        assertThat(status(recovered, "iscsi:v1").home()).isEqualTo("node2");
        assertThat(host(recovered, "iscsi:v1")).isEqualTo("node3");
    }

    @Test
    void itGoesBackHomeWhenItsNodeReturns() {
        Simulator back = runUntil(LOSS + "at 40s restart node2\n", 50);
        assertThat(status(back, "iscsi:v1").state()).isEqualTo(ResourceState.STARTED);
        assertThat(status(back, "iscsi:v1").node()).isEqualTo("node2");
        assertThat(status(back, "iscsi:v1").home()).isNull();
        assertThat(host(back, "iscsi:v1")).isEqualTo("node2");
    }

    @Test
    void withTheWholeGroupDownItWaitsNamingItsNodesAndComesBackWithOne() {
        String cmds = """
                node node1
                node node2
                node node3
                node node4
                node node5
                resource iscsi:v1 node=node3 allowed=node3,node4
                at 20s kill node3
                at 20s kill node4
                at 40s restart node4
                """;
        Simulator waiting = runUntil(cmds, 39);
        ResourceStatus st = status(waiting, "iscsi:v1");
        assertThat(st.state()).isEqualTo(ResourceState.RECOVERY);
        assertThat(st.waiting()).isEqualTo("may run only on node3, node4 and none of them is online outside maintenance");
        assertThat(host(waiting, "iscsi:v1")).isNull();

        Simulator back = runUntil(cmds, 45);
        assertThat(status(back, "iscsi:v1").state()).isEqualTo(ResourceState.STARTED);
        assertThat(status(back, "iscsi:v1").node()).isEqualTo("node4");
        assertThat(status(back, "iscsi:v1").waiting()).isNull();
        assertThat(host(back, "iscsi:v1")).isEqualTo("node4");
    }

    @Test
    void maintenanceMovesItToTheOtherGroupNode() {
        String cmds = """
                node node1
                node node2
                node node3
                resource iscsi:v1 node=node1 allowed=node1,node3
                at 10s maintenance enter node1
                """;
        Simulator sim = runUntil(cmds, 20);
        assertThat(status(sim, "iscsi:v1").node()).isEqualTo("node3");
        assertThat(status(sim, "iscsi:v1").state()).isEqualTo(ResourceState.STARTED);
        assertThat(host(sim, "iscsi:v1")).isEqualTo("node3");
        assertThat(sim.persisted.nodes().get("node1").evacuated()).isTrue();
    }

    @Test
    void changingTheGroupMovesItAndARunningPathThatCannotMoveSaysWhy() {
        String cmds = """
                node node1
                node node2
                node node3
                node node4
                resource iscsi:v1 node=node1 allowed=node1,node2
                at 2s maintenance enter node4
                at 10s allowed iscsi:v1 node3
                at 20s allowed iscsi:v1 node4
                """;
        Simulator moved = runUntil(cmds, 15);
        assertThat(status(moved, "iscsi:v1").node()).isEqualTo("node3");
        assertThat(host(moved, "iscsi:v1")).isEqualTo("node3");

        Simulator stuck = runUntil(cmds, 25);
        assertThat(status(stuck, "iscsi:v1").state()).isEqualTo(ResourceState.STARTED);
        assertThat(status(stuck, "iscsi:v1").waiting())
                .isEqualTo("cannot leave node3, which is not allowed: may run only on node4, which is not online outside maintenance");
        assertThat(host(stuck, "iscsi:v1")).isEqualTo("node3");

        Simulator freed = runUntil(cmds + "at 30s maintenance leave node4\n", 40);
        assertThat(status(freed, "iscsi:v1").node()).isEqualTo("node4");
        assertThat(status(freed, "iscsi:v1").waiting()).isNull();
        assertThat(host(freed, "iscsi:v1")).isEqualTo("node4");
    }

    @Test
    void roundRobinAndDrsBothStayWithinTheGroup() {
        String cluster = """
                node node1
                node node2
                node node3
                node node4
                node node5
                resource iscsi:v1 node=node5 allowed=node3,node5
                resource iscsi:v2 node=node5 allowed=node4,node5
                at 20s kill node5
                """;
        for (String mode : new String[] {"drs", "round-robin"}) {
            Simulator sim = runUntil("config relocation=" + mode + " migrate-back=off\n" + cluster, 35);
            assertThat(host(sim, "iscsi:v1")).as(mode).isEqualTo("node3");
            assertThat(host(sim, "iscsi:v2")).as(mode).isEqualTo("node4");
        }
    }

    @Test
    void aRelocationWhoseTargetLeavesTheGroupMeanwhileGoesToAnAllowedNode() {
        // Decided at 10 s for node2; the path is stopped on node1 by 11 s, when node2 leaves the group.
        String cmds = """
                node node1
                node node2
                node node3
                resource iscsi:v1 node=node1 allowed=node1,node2,node3
                at 10s maintenance enter node1
                at 11s allowed iscsi:v1 node1,node3
                """;
        Simulator sim = runUntil(cmds, 20);
        assertThat(status(sim, "iscsi:v1").state()).isEqualTo(ResourceState.STARTED);
        assertThat(status(sim, "iscsi:v1").node()).isEqualTo("node3");
        assertThat(status(sim, "iscsi:v1").home()).isEqualTo("node1");
        assertThat(host(sim, "iscsi:v1")).isEqualTo("node3");
    }

    @Test
    void aFrozenPathWhoseNodeLeftTheGroupStartsOnAnAllowedNodeWithoutWaitingForIt() {
        String cmds = """
                node node1
                node node2
                node node3
                resource iscsi:v1 node=node2 allowed=node2
                at 10s shutdown node2
                at 20s allowed iscsi:v1 node3
                """;
        Simulator frozen = runUntil(cmds, 19);
        assertThat(status(frozen, "iscsi:v1").state()).isEqualTo(ResourceState.FREEZE);
        assertThat(host(frozen, "iscsi:v1")).isNull();

        Simulator moved = runUntil(cmds, 25);
        assertThat(status(moved, "iscsi:v1").state()).isEqualTo(ResourceState.STARTED);
        assertThat(status(moved, "iscsi:v1").node()).isEqualTo("node3");
        assertThat(status(moved, "iscsi:v1").home()).isNull();
        assertThat(host(moved, "iscsi:v1")).isEqualTo("node3");
    }
}
