package io.keel.meta.cluster;

import io.keel.meta.cluster.ClusterCommand.InitCluster;
import io.keel.meta.cluster.ClusterCommand.RegisterNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Fixed, readable test data. Every node has disks "sys" (the system disk), "d1", "d2", "d3" and "ssd". */
final class Fixtures {
    static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    static final Instant EXPIRY = T0.plus(Duration.ofHours(24));
    static final String TOKEN1 = "keel1.first-token-value-for-tests-000000000000000";
    static final String TOKEN2 = "keel1.second-token-value-for-tests-00000000000000";
    static final String HASH = Secrets.sha256Hex("node-credential");

    private Fixtures() {}

    static JoinToken token(String value, long generation) {
        return new JoinToken(value, generation, T0, EXPIRY);
    }

    static ClusterSecrets secrets() {
        return new ClusterSecrets("$argon2id$v=19$m=65536,t=3,p=1$c2FsdA$aGFzaA", "signing-key-for-tests");
    }

    static Disk disk(String id, boolean system) {
        return new Disk(id, "directory", "/var/lib/keel/disks/" + id, 100L << 30, false, "directory", null, system);
    }

    static Inventory inventory() {
        return inventory(List.of(disk("sys", true), disk("d1", false), disk("d2", false), disk("d3", false),
                disk("ssd", false)));
    }

    static Inventory inventory(List<Disk> disks) {
        return new Inventory("host", "Debian GNU/Linux 13", "QEMU Virtual CPU", 4, 8L << 30,
                List.of(new NetInterface("eth0", "52:54:00:12:34:56", List.of("10.0.0.1/24"), true, 1500)), disks,
                new AcceleratorReport("tcg", "auto", "auto: /dev/kvm does not exist"));
    }

    static NodeRecord node(String id, String name, String address, int apiPort, int raftPort) {
        return new NodeRecord(id, name, address, apiPort, raftPort, HASH, T0, false, false,
                Location.DEFAULT_RACK, inventory(), Map.of());
    }

    /** Node {@code n<i>} named {@code node<i>} on its own address 10.0.0.i with the standard ports. */
    static NodeRecord node(int i) {
        return node("n" + i, "node" + i, "10.0.0." + i, 8443, 9000);
    }

    static InitCluster init() {
        return new InitCluster("c1", T0, secrets(), token(TOKEN1, 1), node(1));
    }

    static RegisterNode register(int i) {
        return new RegisterNode(TOKEN1, T0.plusSeconds(60L * i), node(i));
    }
}
