package io.keel.meta.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.meta.cluster.ClusterCommand.AssignDiskRole;
import io.keel.meta.cluster.ClusterCommand.CreateLocation;
import io.keel.meta.cluster.ClusterCommand.CreateStorageCluster;
import io.keel.meta.cluster.ClusterCommand.DeleteLocation;
import io.keel.meta.cluster.ClusterCommand.JoinStorageCluster;
import io.keel.meta.cluster.ClusterCommand.MoveNode;
import io.keel.meta.cluster.ClusterCommand.RenameLocation;
import io.keel.meta.cluster.ClusterCommand.RotateJoinToken;
import io.keel.meta.cluster.ClusterCommand.SetMaintenance;
import io.keel.meta.cluster.ClusterCommand.UpdateInventory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Two replicas fed the same log must end with the same bytes and answer with the same bytes. */
class DeterminismTest {
    private static List<ClusterCommand> log() {
        List<ClusterCommand> log = new ArrayList<>();
        log.add(Fixtures.init());
        log.add(Fixtures.init()); // rejected: already initialised
        for (int i = 2; i <= 7; i++) {
            log.add(Fixtures.register(i));
        }
        log.add(Fixtures.register(3)); // rejected: duplicate
        log.add(new RotateJoinToken(Fixtures.token(Fixtures.TOKEN2, 2)));
        log.add(Fixtures.register(8)); // rejected: rotated token
        log.add(new CreateStorageCluster("stor1", Fixtures.T0, true, List.of("n3", "n1", "n2"), Map.of(
                "n1", Map.of("d1", DiskRole.METADATA, "d2", DiskRole.storage(0, true, false), "d3",
                        DiskRole.storage(1, false, true)),
                "n2", Map.of("ssd", new DiskRole(DiskRole.Type.METADATA_CACHE, 0, false, false)),
                "n3", Map.of("sys", DiskRole.SYSTEM, "d1", DiskRole.METADATA))));
        log.add(new JoinStorageCluster("n4", Map.of("d2", DiskRole.METADATA, "d1", DiskRole.storage(2, true, true))));
        log.add(new JoinStorageCluster("n5", Map.of("d1", DiskRole.METADATA)));
        log.add(new JoinStorageCluster("n6", Map.of("d1", DiskRole.METADATA))); // rejected: sixth
        log.add(new AssignDiskRole("n5", "ssd", new DiskRole(DiskRole.Type.CACHE, 3, false, false)));
        log.add(new CreateLocation("r1", Location.Type.ROOM, "Room 1", null));
        log.add(new CreateLocation("w1", Location.Type.ROW, "Row 1", "r1"));
        log.add(new CreateLocation("k1", Location.Type.RACK, "Rack 1", "w1"));
        log.add(new CreateLocation("k2", Location.Type.RACK, "Rack 1", "w1")); // rejected: sibling name
        log.add(new MoveNode("n2", "k1"));
        log.add(new RenameLocation("k1", "Rack One"));
        log.add(new DeleteLocation("k1")); // rejected: holds n2
        log.add(new SetMaintenance("n2", true));
        log.add(new UpdateInventory("n7", Fixtures.inventory(List.of(Fixtures.disk("nvme0", false)))));
        return log;
    }

    @Test
    void sameLogGivesSameStateAndSameAnswers() {
        Harness a = new Harness();
        Harness b = new Harness();
        int rejected = 0;
        for (ClusterCommand command : log()) {
            byte[] bytes = a.codec.encode(command);
            byte[] answerA = a.logic.apply(1, bytes, a.kv);
            byte[] answerB = b.logic.apply(1, bytes.clone(), b.kv);
            assertThat(answerA).as("answer to %s", command).isEqualTo(answerB);
            if (a.codec.decodeResult(answerA) instanceof CommandResult.Rejected) {
                rejected++;
            }
        }
        assertThat(rejected).as("the log exercises rejections too").isEqualTo(6);
        assertThat(a.kv.snapshot()).isEqualTo(b.kv.snapshot());
        assertThat(a.state().metadataNodes()).extracting(NodeRecord::id).containsExactly("n1", "n2", "n3", "n4", "n5");
    }
}
