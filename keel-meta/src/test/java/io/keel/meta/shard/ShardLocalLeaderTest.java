package io.keel.meta.shard;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.meta.TestPorts;
import io.keel.meta.raft.LocalLeader;
import io.keel.meta.raft.MetadataServer;
import io.keel.meta.raft.Peer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In-process calls on the member that leads a shard (ADR 0054). A shard client whose network
 * members are unreachable can only succeed through its local leader, which tells the in-process
 * path from the network one.
 */
class ShardLocalLeaderTest {
    static final String SHARD = "idx-0";
    static final Duration TIMEOUT = Duration.ofSeconds(8);

    @TempDir
    Path tmp;
    ShardCluster cluster;

    @BeforeEach
    void start() throws Exception {
        cluster = new ShardCluster(tmp, 3);
        cluster.startAll();
        cluster.hostEverywhere(SHARD);
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    /** A client that dials nobody: only its local leader can answer. */
    private RaftIndexShard offline(LocalLeader local, Duration timeout) {
        List<Peer> nobody = List.of(new Peer("nobody", "127.0.0.1", TestPorts.free(List.of())));
        return new RaftIndexShard(SHARD, nobody, timeout, () -> Optional.of(local));
    }

    private ShardCluster.Node follower(ShardCluster.Node leader) {
        return cluster.node(0).equals(leader) ? cluster.node(1) : cluster.node(0);
    }

    @Test
    void theLeaderAnswersReadsAndWritesInProcessAndTheNetworkSeesThem() throws Exception {
        ShardCluster.Node leader = cluster.awaitShardLeader(SHARD);
        LocalLeader here = cluster.server(leader).localShardLeader(SHARD);
        ShardCluster.poll("the leader ready to serve", () -> here.leads() ? Optional.of(true) : Optional.empty());
        RaftIndexShard network = cluster.shard(SHARD, TIMEOUT);
        try (RaftIndexShard local = offline(here, TIMEOUT)) {
            assertThat(local.commit(ShardBatch.of(List.of(new ShardBatch.Put("o/a", "1".getBytes(UTF_8)))))).isTrue();
            assertThat(network.get("o/a")).map(v -> new String(v, UTF_8)).contains("1");

            assertThat(network.commit(ShardBatch.of(List.of(new ShardBatch.Put("o/b", "2".getBytes(UTF_8)))))).isTrue();
            assertThat(local.get("o/b")).map(v -> new String(v, UTF_8)).contains("2");
            assertThat(local.scan("o/", "o0", 10)).extracting(ShardEntry::key).containsExactly("o/a", "o/b");
            // A failed condition is the shard's answer, not a failure of the path.
            assertThat(local.commit(new ShardBatch(List.of(new ShardBatch.Absent("o/a")),
                    List.of(new ShardBatch.Put("o/a", "3".getBytes(UTF_8)))))).isFalse();
            assertThat(network.get("o/a")).map(v -> new String(v, UTF_8)).contains("1");
        }
    }

    @Test
    void aFollowerAnswersNothingInProcess() throws Exception {
        ShardCluster.Node leader = cluster.awaitShardLeader(SHARD);
        LocalLeader onFollower = cluster.server(follower(leader)).localShardLeader(SHARD);
        assertThat(onFollower.leads()).isFalse();
        try (RaftIndexShard local = offline(onFollower, Duration.ofMillis(500))) {
            assertThatThrownBy(() -> local.get("o/a")).isInstanceOf(ShardUnavailableException.class);
        }
    }

    @Test
    void aFollowerTakesTheLeadershipWhenAsked() throws Exception {
        ShardCluster.Node leader = cluster.awaitShardLeader(SHARD);
        ShardCluster.Node taker = follower(leader);
        MetadataServer server = cluster.server(taker);
        // Right after the election the follower may not have heard from the leader yet, and a
        // follower that knows no leader has none to ask: the node agent's round asks again too.
        ShardCluster.poll("the follower asking the leader to hand over", () -> {
            try {
                server.localShardLeader(SHARD).takeLeadership();
                return Optional.of(true);
            } catch (java.io.IOException noLeaderKnownYet) {
                return Optional.empty();
            }
        });
        assertThat(cluster.awaitShardLeader(SHARD)).isEqualTo(taker);
        ShardCluster.poll("the new leader ready", () -> server.localShardLeader(SHARD).leads()
                ? Optional.of(true) : Optional.empty());
        assertThat(cluster.server(leader).localShardLeader(SHARD).leads()).isFalse();
    }
}
