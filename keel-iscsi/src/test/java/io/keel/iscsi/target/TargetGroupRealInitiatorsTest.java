package io.keel.iscsi.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.keel.block.FileBlockDevice;
import io.keel.iscsi.login.AccessPolicy;
import io.keel.iscsi.scsi.InMemoryReservationStore;
import io.keel.iscsi.scsi.LogicalUnit;
import io.keel.iscsi.scsi.LunSpec;
import io.keel.iscsi.scsi.TargetPorts;
import io.keel.iscsi.target.InitiatorTools.Run;
import io.keel.iscsi.target.InitiatorTools.Summary;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A target group of two "nodes" on 127.0.0.1: two servers, each with its own target IQN and
 * target port group (1 and 2), exporting the same volumes, their reservations in one shared store.
 * LUN 0 is laid out as the node does it: active on node 1, standby on node 2. LUN 1 is active on
 * both (which the node never does) so iscsi-test-cu can drive I/O through both nodes and check the
 * reservations one node takes against the other. Results are recorded in docs/iscsi-test-cu.md.
 */
class TargetGroupRealInitiatorsTest {
    private static final String IQN_1 = "iqn.2026-12.io.keel:node1.group";
    private static final String IQN_2 = "iqn.2026-12.io.keel:node2.group";
    private static final long SIZE = 64L << 20;

    @TempDir
    static Path dir;
    private static IscsiServer node1;
    private static IscsiServer node2;
    private static FileBlockDevice alua;
    private static FileBlockDevice shared;
    private static LogicalUnit standby;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(InitiatorTools.onPath("iscsi-test-cu") && InitiatorTools.onPath("iscsi-inq"),
                "libiscsi-bin is not installed: apt-get install -y libiscsi-bin (scripts/test does)");
        alua = FileBlockDevice.create(dir.resolve("alua.img"), SIZE);
        shared = FileBlockDevice.create(dir.resolve("shared.img"), SIZE);
        InMemoryReservationStore aluaStore = new InMemoryReservationStore();
        InMemoryReservationStore sharedStore = new InMemoryReservationStore();
        node1 = IscsiServer.start("127.0.0.1", 0, ServerOptions.defaults());
        node2 = IscsiServer.start("127.0.0.1", 0, ServerOptions.defaults());
        Target t1 = node1.addTarget(IQN_1, TargetPorts.onePerGroup(1, List.of(1, 2)), AccessPolicy.open());
        Target t2 = node2.addTarget(IQN_2, TargetPorts.onePerGroup(2, List.of(1, 2)), AccessPolicy.open());
        LogicalUnit active = t1.export(0, new LunSpec("alua-0", SIZE, 512), aluaStore);
        standby = t2.export(0, new LunSpec("alua-0", SIZE, 512), aluaStore);
        active.activate(new BlockDeviceLun(alua, "alua-0", 512));
        standby.activeGroup(OptionalInt.of(1));
        for (Target t : List.of(t1, t2)) {
            t.export(1, new LunSpec("shared-1", SIZE, 512), sharedStore)
                    .activate(new BlockDeviceLun(shared, "shared-1", 512));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (IscsiServer s : new IscsiServer[] {node1, node2}) {
            if (s != null) {
                s.close();
            }
        }
        for (FileBlockDevice d : new FileBlockDevice[] {alua, shared}) {
            if (d != null) {
                d.close();
            }
        }
    }

    private static String url(IscsiServer node, String iqn, int lun) {
        return "iscsi://127.0.0.1:" + node.port() + "/" + iqn + "/" + lun;
    }

    private static Run tool(String... command) throws Exception {
        return InitiatorTools.run(dir, 60, command);
    }

    @Test
    void theActivePathAnswersTheStandbyPathRefusesAndFailoverSwapsThem() throws Exception {
        Run std = tool("iscsi-inq", url(node1, IQN_1, 0));
        assertThat(std.exit()).as(std.output()).isZero();
        assertThat(std.output()).contains("TPGS:1");
        Run ids = tool("iscsi-inq", "-e", "1", "-c", "131", url(node1, IQN_1, 0));
        assertThat(ids.exit()).as(ids.output()).isZero();
        assertThat(ids.output()).contains("RELATIVE_TARGET_PORT").contains("TARGET_PORT_GROUP").contains("NAA");
        assertThat(tool("iscsi-readcapacity16", url(node1, IQN_1, 0)).exit()).isZero();
        // libiscsi sends TEST UNIT READY right after login and gives up on anything but a unit
        // attention: on the standby path it reports our NOT READY, LOGICAL UNIT NOT ACCESSIBLE,
        // TARGET PORT IN STANDBY STATE.
        Run onStandby = tool("iscsi-inq", url(node2, IQN_2, 0));
        assertThat(onStandby.exit()).isNotZero();
        assertThat(onStandby.output()).contains("NOT READY").contains("0x040b");

        // Failover as the HA engine does it: node 1 to standby (then it closes the volume),
        // node 2 opens the volume and goes active; node 1 learns the new owner.
        LogicalUnit one = node1.target(IQN_1).orElseThrow().lun(0).orElseThrow();
        assertThat(one.standby()).isPresent();
        standby.activate(new BlockDeviceLun(alua, "alua-0", 512));
        one.activeGroup(OptionalInt.of(2));
        try {
            assertThat(tool("iscsi-readcapacity16", url(node2, IQN_2, 0)).exit()).isZero();
            Run ids2 = tool("iscsi-inq", "-e", "1", "-c", "131", url(node2, IQN_2, 0));
            assertThat(ids2.output()).isEqualTo(ids.output().replace("0x0001", "0x0002")
                    .replace("Relative Target Port:1", "Relative Target Port:2"));
            Run oldActive = tool("iscsi-readcapacity16", url(node1, IQN_1, 0));
            assertThat(oldActive.exit()).isNotZero();
            assertThat(oldActive.output()).contains("0x040b");
        } finally {
            standby.standby();
            one.activate(new BlockDeviceLun(alua, "alua-0", 512));
            standby.activeGroup(OptionalInt.of(1));
        }
    }

    @Test
    void reservationSuitesAcrossTwoNodes() throws Exception {
        // The second URL is iscsi-test-cu's second initiator (and its multipath path): it goes
        // through the other node, so every reservation taken on one node is checked on the other.
        Summary s = InitiatorTools.testCu(dir, "SCSI.Prin*,SCSI.Prout*,SCSI.MultipathIO",
                url(node1, IQN_1, 1), url(node2, IQN_2, 1));
        System.out.println("[two nodes] ran " + s.ran() + ", failed " + s.failed() + ": " + s.failures());
        assertThat(s.ran()).isEqualTo(24);
        // A LUN reset raises its unit attention on the node where it happened only (docs/iscsi-test-cu.md).
        assertThat(s.failures()).as(s.output()).containsExactly("MultipathIO.Reset");
    }
}
