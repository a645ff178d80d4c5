package io.keel.meta.raft;

import static io.keel.meta.raft.TestLogic.cmd;
import static io.keel.meta.raft.TestLogic.str;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThreeNodeClusterTest {
    @TempDir
    Path tmp;
    Nodes nodes;

    @BeforeEach
    void startCluster() throws Exception {
        nodes = new Nodes(tmp, 3);
        for (int i = 0; i < 3; i++) {
            nodes.start(nodes.node(i), nodes.peers());
        }
    }

    @AfterEach
    void stopCluster() {
        nodes.close();
    }

    @Test
    void replicatesThroughAnyNodeAndReadsLinearizably() throws Exception {
        MetadataServer leader = nodes.awaitLeader();
        assertThat(leader.status().role()).isEqualTo("LEADER");
        assertThat(leader.status().members()).extracting(Peer::id).containsExactly("n1", "n2", "n3");

        MetaClient client = nodes.client(nodes.peers());
        MetaClient.SubmitResult put = client.submit(cmd("put node/a alpha"));
        assertThat(str(put.result())).isEqualTo("ok");
        assertThat(put.logIndex()).isPositive();

        for (MetadataServer s : nodes.servers()) {
            Nodes.awaitApplied(s, put.logIndex());
            assertThat(s.reader().get("node/a")).map(TestLogic::str).contains("alpha");
            RaftStatus st = s.status();
            assertThat(st.leaderId()).isEqualTo(leader.status().leaderId());
            assertThat(st.appliedIndex()).isGreaterThanOrEqualTo(put.logIndex());
        }
        assertThat(client.remoteReader().get("node/a")).map(TestLogic::str).contains("alpha");
        assertThat(client.remoteReader().get("node/zz")).isEmpty();

        // A client that only knows a follower still reaches the leader.
        MetadataServer follower = nodes.servers().stream().filter(s -> !s.isLeader()).findFirst().orElseThrow();
        MetaClient viaFollower = nodes.client(nodes.peers(nodeOf(follower)));
        MetaClient.SubmitResult second = viaFollower.submit(cmd("put node/b beta"));
        assertThat(second.logIndex()).isGreaterThan(put.logIndex());
        Map<String, byte[]> scan = viaFollower.remoteReader().scan("node/");
        assertThat(scan.keySet()).containsExactly("node/a", "node/b");

        // A command whose logic throws is committed but makes no writes, on every replica.
        assertThatThrownBy(() -> client.submit(cmd("putfail node/c gamma")))
                .isInstanceOf(MetaCommandException.class).hasMessageContaining("putfail");
        MetaClient.SubmitResult after = client.submit(cmd("del node/a"));
        assertThat(str(after.result())).isEqualTo("deleted");
        assertThat(after.logIndex()).isGreaterThan(second.logIndex() + 1);
        for (MetadataServer s : nodes.servers()) {
            Nodes.awaitApplied(s, after.logIndex());
            assertThat(Nodes.dump(s)).containsExactly(Map.entry("node/b", "beta"));
        }
    }

    @Test
    void toleratesOneFailureRefusesWithTwoAndRecovers() throws Exception {
        MetaClient client = nodes.client(nodes.peers());
        nodes.awaitLeader();
        long first = client.submit(cmd("put k1 v1")).logIndex();

        // Lose the leader: the other two elect a new one and keep committing.
        Nodes.Node leaderNode = leaderNode();
        nodes.stop(leaderNode);
        long second = submitEventually(client, "put k2 v2");
        assertThat(second).isGreaterThan(first);

        // Lose the new leader's only peer: no quorum, so the client must give up in bounded time,
        // and the minority leader must stop acting as leader within a few election timeouts.
        MetadataServer survivor = nodes.awaitLeader();
        Nodes.Node another = nodes.servers().stream().filter(s -> s != survivor).findFirst()
                .map(this::nodeOf).orElseThrow();
        nodes.stop(another);
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> client.submit(cmd("put k3 v3"))).isInstanceOf(MetaUnavailableException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
        Nodes.poll("minority leader steps down", () -> survivor.isLeader() ? Optional.empty() : Optional.of(true));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
        assertThat(survivor.status().role()).isIn("FOLLOWER", "CANDIDATE");
        assertThatThrownBy(() -> client.remoteReader().get("k1")).isInstanceOf(MetaUnavailableRuntimeException.class);

        // Restart both on their old directories: they recover and the data is intact everywhere.
        nodes.start(leaderNode, nodes.peers());
        nodes.start(another, List.of());
        nodes.awaitLeader();
        long fourth = submitEventually(client, "put k4 v4");
        for (MetadataServer s : nodes.servers()) {
            Nodes.awaitApplied(s, fourth);
            Map<String, String> state = Nodes.dump(s);
            assertThat(state).containsEntry("k1", "v1").containsEntry("k2", "v2").containsEntry("k4", "v4");
            // k3 may or may not have been committed: the client could not know. Nothing else may appear.
            assertThat(state.keySet()).isSubsetOf("k1", "k2", "k3", "k4");
        }
    }

    private long submitEventually(MetaClient client, String command) {
        return Nodes.poll("submit " + command, () -> {
            try {
                return Optional.of(client.submit(cmd(command)).logIndex());
            } catch (MetaUnavailableException e) {
                return Optional.empty();
            }
        });
    }

    private Nodes.Node leaderNode() {
        MetadataServer leader = nodes.awaitLeader();
        return nodeOf(leader);
    }

    private Nodes.Node nodeOf(MetadataServer s) {
        for (int i = 0; i < 3; i++) {
            if (nodes.server(nodes.node(i)) == s) {
                return nodes.node(i);
            }
        }
        throw new AssertionError("unknown server");
    }
}
