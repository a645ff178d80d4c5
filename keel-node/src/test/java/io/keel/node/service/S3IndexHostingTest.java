package io.keel.node.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.api.dto.CreateS3ClusterRequest;
import io.keel.meta.cluster.ClusterState;
import io.keel.meta.cluster.S3Cluster;
import io.keel.meta.raft.MetadataServer;
import io.keel.meta.raft.Peer;
import io.keel.meta.raft.RaftTuning;
import io.keel.node.s3.S3IndexHosting;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where S3IndexHosting puts an index shard's leadership (ADR 0054), on three real Ratis servers.
 * Beside {@link S3TestMeta}, whose cluster state names the S3 cluster's nodes.
 */
class S3IndexHostingTest {
    private static final RaftTuning TUNING = new RaftTuning(Duration.ofMillis(500), Duration.ofMillis(1000), 10_000,
            Duration.ofSeconds(3));
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path tmp;
    private final Map<String, MetadataServer> servers = new TreeMap<>();

    @AfterEach
    void stop() {
        servers.values().forEach(MetadataServer::close);
    }

    @Test
    void theFirstGatewayAmongTheMembersTakesTheLeadershipFromANodeWithoutAGateway() throws Exception {
        List<Peer> peers = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            peers.add(new Peer("n" + i, "127.0.0.1", freePort()));
        }
        String group = UUID.randomUUID().toString();
        for (Peer p : peers) {
            MetadataServer s = new MetadataServer(p.id(), tmp.resolve(p.id()), "127.0.0.1", p.port(), group,
                    (index, command, kv) -> new byte[0], TUNING);
            s.start(peers);
            servers.put(p.id(), s);
        }
        S3TestMeta meta = new S3TestMeta();
        S3ServiceImpl control = new S3ServiceImpl(meta::state, meta::submit, Clock.fixed(S3TestMeta.T0, ZoneOffset.UTC),
                new SecureRandom());
        // Hosting first, on every member, with an S3 cluster on all three: whoever wins the election
        // runs a gateway, so nothing moves yet.
        control.createCluster(new CreateS3ClusterRequest(List.of("n1", "n2", "n3"), "single", List.of("s3.local"),
                "HTTP", null, null, null, null, null));
        for (Peer p : peers) {
            hosting(p.id(), peers).reconcile(meta.state());
        }
        String shard = meta.state().s3().cluster().orElseThrow().indexShards().getFirst();
        String elected = awaitLeader(shard, () -> Optional.empty());

        // The S3 cluster moves to the two other nodes: the leader now runs no gateway.
        control.deleteCluster();
        List<String> gateways = peers.stream().map(Peer::id).filter(id -> !id.equals(elected)).toList();
        control.createCluster(new CreateS3ClusterRequest(gateways, "single", List.of("s3.local"), "HTTP", null, null,
                null, null, null));
        ClusterState state = meta.state();
        S3Cluster cluster = state.s3().cluster().orElseThrow();
        String taker = cluster.nodeIds().getFirst();
        String other = cluster.nodeIds().get(1);

        hosting(elected, peers).reconcile(state);
        hosting(other, peers).reconcile(state);
        assertThat(leaderOf(shard)).as("the leader after the other nodes' rounds").isEqualTo(elected);

        hosting(taker, peers).reconcile(state);
        assertThat(awaitLeader(shard, () -> Optional.of(taker))).isEqualTo(taker);

        // Led by a gateway now: another round moves nothing.
        hosting(taker, peers).reconcile(state);
        hosting(other, peers).reconcile(state);
        assertThat(leaderOf(shard)).isEqualTo(taker);
    }

    private S3IndexHosting hosting(String id, List<Peer> peers) {
        return new S3IndexHosting(id, () -> Optional.of(servers.get(id)), () -> peers);
    }

    /** The leader every server names, once they agree (and, if given, it is {@code expected}). */
    private String awaitLeader(String shard, Supplier<Optional<String>> expected) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            String leader = leaderOf(shard);
            if (leader != null && expected.get().map(leader::equals).orElse(true)) {
                return leader;
            }
            assertThat(System.nanoTime()).as("a leader of %s within %s", shard, WAIT).isLessThan(deadline);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    /** The leader all three servers name, or null while they disagree or know none. */
    private String leaderOf(String shard) {
        List<String> named = servers.values().stream().map(s -> s.shardStatus(shard).leaderId()).distinct().toList();
        return named.size() == 1 ? named.getFirst() : null;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
