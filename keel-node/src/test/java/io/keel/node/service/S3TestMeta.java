package io.keel.node.service;

import io.keel.meta.cluster.AcceleratorReport;
import io.keel.meta.cluster.ChunkServiceInfo;
import io.keel.meta.cluster.ClusterCodec;
import io.keel.meta.cluster.ClusterCommand;
import io.keel.meta.cluster.ClusterLogic;
import io.keel.meta.cluster.ClusterSecrets;
import io.keel.meta.cluster.ClusterState;
import io.keel.meta.cluster.CommandResult;
import io.keel.meta.cluster.Disk;
import io.keel.meta.cluster.DiskRole;
import io.keel.meta.cluster.FailureDomain;
import io.keel.meta.cluster.Inventory;
import io.keel.meta.cluster.JoinToken;
import io.keel.meta.cluster.Location;
import io.keel.meta.cluster.NetInterface;
import io.keel.meta.cluster.NodeRecord;
import io.keel.meta.cluster.Secrets;
import io.keel.meta.cluster.StoragePolicy;
import io.keel.meta.store.KvWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The real metadata logic over an in-memory store, applied the way the state machine does
 * (encoded bytes in and out), standing in for {@link MetaGateway}: a storage cluster of nodes
 * n1..n3 (named node1..node3) with chunk services and storage policy "single".
 */
final class S3TestMeta {
    static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final String TOKEN = "keel1.first-token-value-for-tests-000000000000000";

    private final Kv kv = new Kv();
    private final ClusterCodec codec = new ClusterCodec();
    private final ClusterLogic logic = new ClusterLogic(codec);
    private long index;

    S3TestMeta() {
        submit(new ClusterCommand.InitCluster("c1", T0, new ClusterSecrets("$argon2id$v=19$m=65536,t=3,p=1$c2FsdA$aGFzaA",
                "signing-key-for-tests"), new JoinToken(TOKEN, 1, T0, T0.plusSeconds(86400)), node(1)));
        submit(new ClusterCommand.RegisterNode(TOKEN, T0.plusSeconds(60), node(2)));
        submit(new ClusterCommand.RegisterNode(TOKEN, T0.plusSeconds(120), node(3)));
        submit(new ClusterCommand.CreateStorageCluster("stor1", T0.plusSeconds(3600), true, List.of("n1", "n2", "n3"),
                Map.of("n1", Map.of("d1", DiskRole.METADATA, "d2", DiskRole.storage(0, true, false)))));
        submit(new ClusterCommand.AssignDiskRole("n2", "d2", DiskRole.storage(0, true, false)));
        submit(new ClusterCommand.AssignDiskRole("n3", "d2", DiskRole.storage(0, true, false)));
        for (int i = 1; i <= 3; i++) {
            submit(new ClusterCommand.RegisterChunkService(new ChunkServiceInfo("n" + i, "d2", "127.0.0.1", 9900 + i,
                    100L << 30, 90L << 30, T0)));
        }
        submit(new ClusterCommand.CreatePolicy(new StoragePolicy("single", 0, FailureDomain.HOST, 1)));
    }

    ClusterState state() {
        return new ClusterState(kv, codec);
    }

    /** As {@link MetaGateway#submit}: the entity id, or the refusal as an ApiException. */
    String submit(ClusterCommand command) {
        CommandResult result = codec.decodeResult(logic.apply(++index, codec.encode(command), kv));
        return switch (result) {
            case CommandResult.Applied applied -> applied.entityId();
            case CommandResult.Rejected rejected -> throw MetaGateway.toApi(rejected);
        };
    }

    /** Every stored value as text, to search for what must never be stored or shown. */
    String dump() {
        StringBuilder sb = new StringBuilder();
        kv.map.forEach((k, v) -> sb.append(k).append('=').append(new String(v, java.nio.charset.StandardCharsets.UTF_8)));
        return sb.toString();
    }

    private static NodeRecord node(int i) {
        List<Disk> disks = List.of(disk("sys", true), disk("d1", false), disk("d2", false));
        Inventory inventory = new Inventory("host", "Debian GNU/Linux 13", "QEMU Virtual CPU", 4, 8L << 30,
                List.of(new NetInterface("eth0", "52:54:00:12:34:5" + i, List.of("10.0.0." + i + "/24"), true, 1500)),
                disks, new AcceleratorReport("tcg", "auto", "auto: /dev/kvm does not exist"));
        return new NodeRecord("n" + i, "node" + i, "10.0.0." + i, 8888, 9880, Secrets.sha256Hex("node-credential"), T0,
                false, false, Location.DEFAULT_RACK, inventory, Map.of());
    }

    private static Disk disk(String id, boolean system) {
        return new Disk(id, "directory", "/var/lib/keel/disks/" + id, 100L << 30, false, "directory", null, system);
    }

    /** Writes straight through: each command is applied whole by the logic before anything reads. */
    private static final class Kv implements KvWriter {
        final TreeMap<String, byte[]> map = new TreeMap<>();

        @Override
        public Optional<byte[]> get(String key) {
            return Optional.ofNullable(map.get(key));
        }

        @Override
        public SortedMap<String, byte[]> scan(String prefix) {
            return new TreeMap<>(map.subMap(prefix, prefix + Character.MAX_VALUE));
        }

        @Override
        public void put(String key, byte[] value) {
            map.put(key, value);
        }

        @Override
        public void delete(String key) {
            map.remove(key);
        }
    }
}
