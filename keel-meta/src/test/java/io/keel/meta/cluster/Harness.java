package io.keel.meta.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.meta.cluster.ClusterCommand.CreateStorageCluster;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** One store and the logic applied to it the way the state machine does: encoded bytes in and out. */
final class Harness {
    final MemoryKv kv = new MemoryKv();
    final ClusterCodec codec = new ClusterCodec();
    final ClusterLogic logic = new ClusterLogic(codec);
    private long index;

    CommandResult apply(ClusterCommand command) {
        return codec.decodeResult(logic.apply(++index, codec.encode(command), kv));
    }

    /** Applies a command that must succeed; returns the entity id. */
    String applied(ClusterCommand command) {
        CommandResult result = apply(command);
        assertThat(result).as("result of %s", command).isInstanceOf(CommandResult.Applied.class);
        return ((CommandResult.Applied) result).entityId();
    }

    /** Applies a command that must be refused with {@code code}, writing nothing; returns the message. */
    String rejected(ClusterCommand command, String code) {
        return rejectedBytes(codec.encode(command), code);
    }

    String rejectedBytes(byte[] command, String code) {
        TreeMap<String, String> before = kv.snapshot();
        int writes = kv.writes();
        CommandResult result = codec.decodeResult(logic.apply(++index, command, kv));
        assertThat(result).isInstanceOf(CommandResult.Rejected.class);
        CommandResult.Rejected rejected = (CommandResult.Rejected) result;
        assertThat(rejected.code()).as("code of rejection '%s'", rejected.message()).isEqualTo(code);
        assertThat(kv.writes()).as("writes made by a rejected command").isEqualTo(writes);
        assertThat(kv.snapshot()).isEqualTo(before);
        return rejected.message();
    }

    ClusterState state() {
        return new ClusterState(kv, codec);
    }

    NodeRecord node(String id) {
        return state().node(id).orElseThrow();
    }

    /** Initialised, with nodes n1..n{count} registered (none in a storage cluster). */
    static Harness withNodes(int count) {
        Harness h = new Harness();
        h.applied(Fixtures.init());
        for (int i = 2; i <= count; i++) {
            h.applied(Fixtures.register(i));
        }
        return h;
    }

    /** Nodes n1..n{count}; n1..n{members} form storage cluster "stor1", with n1's "d1" a metadata disk. */
    static Harness withStorageCluster(int count, int members) {
        Harness h = withNodes(count);
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 1; i <= members; i++) {
            ids.add("n" + i);
        }
        h.applied(new CreateStorageCluster("stor1", Fixtures.T0.plusSeconds(3600), true, ids,
                Map.of("n1", Map.of("d1", DiskRole.METADATA, "d2", DiskRole.storage(0, true, false)))));
        return h;
    }

    /**
     * Nodes n1..n3 forming the storage cluster, each with a tier-0 chunk service on disk d2 (90 of
     * 100 GiB free), and storage policy "single" (1 replica, failure domain host).
     */
    static Harness withChunkServices() {
        Harness h = withStorageCluster(3, 3);
        h.applied(new ClusterCommand.AssignDiskRole("n2", "d2", DiskRole.storage(0, true, false)));
        h.applied(new ClusterCommand.AssignDiskRole("n3", "d2", DiskRole.storage(0, true, false)));
        for (int i = 1; i <= 3; i++) {
            h.applied(new ClusterCommand.RegisterChunkService(new ChunkServiceInfo("n" + i, "d2", "127.0.0.1",
                    9900 + i, 100L << 30, 90L << 30, Fixtures.T0)));
        }
        h.applied(new ClusterCommand.CreatePolicy(new StoragePolicy("single", 0, FailureDomain.HOST, 1)));
        return h;
    }
}
