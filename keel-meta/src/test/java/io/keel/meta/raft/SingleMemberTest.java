package io.keel.meta.raft;

import static io.keel.meta.raft.TestLogic.cmd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SingleMemberTest {
    @TempDir
    Path tmp;
    Nodes nodes;

    @AfterEach
    void stop() {
        if (nodes != null) {
            nodes.close();
        }
    }

    @Test
    void singleMemberRestartKeepsStateAndContinues() throws Exception {
        nodes = new Nodes(tmp, 1);
        Nodes.Node a = nodes.node(0);
        MetadataServer s = nodes.start(a, nodes.peers());
        nodes.awaitLeader();
        MetaClient client = nodes.client(nodes.peers());
        long index = 0;
        for (int i = 0; i < 20; i++) {
            index = client.submit(cmd("put k/" + i + " v" + i)).logIndex();
        }
        client.submit(cmd("del k/0"));
        SortedMap<String, String> before = Nodes.dump(s);
        long appliedBefore = s.appliedIndex();
        nodes.stop(a);
        assertThat(s.status().role()).isEqualTo(RaftStatus.STOPPED);
        assertThat(s.isRunning()).isFalse();

        // initialPeers are ignored on recovery: the stored configuration wins.
        s = nodes.start(a, List.of());
        MetadataServer restarted = s;
        Nodes.poll("recovered state", () -> restarted.appliedIndex() >= appliedBefore ? Optional.of(true) : Optional.empty());
        assertThat(Nodes.dump(s)).isEqualTo(before).hasSize(19);
        nodes.awaitLeader();
        long next = client.submit(cmd("put k/new n")).logIndex();
        assertThat(next).isGreaterThan(index);
        assertThat(client.remoteReader().get("k/new")).map(TestLogic::str).contains("n");
        assertThat(s.status().members()).containsExactly(a.peer());
        assertThat(s.isRunning()).isTrue();
    }

    @Test
    void unusableStorageFailsWithClearMessage() throws Exception {
        nodes = new Nodes(tmp, 1);
        Nodes.Node a = nodes.node(0);

        Path groupDir = a.dir().resolve("raft").resolve(nodes.groupId);
        Files.createDirectories(groupDir);
        assertThatThrownBy(() -> nodes.start(a, nodes.peers())).isInstanceOf(IOException.class)
                .hasMessageContaining("empty or corrupted");

        Files.delete(groupDir);
        Files.createDirectories(a.dir().resolve("rocks"));
        Files.writeString(a.dir().resolve("rocks").resolve("CURRENT"), "x");
        assertThatThrownBy(() -> nodes.start(a, nodes.peers())).isInstanceOf(IOException.class)
                .hasMessageContaining("RocksDB state but no Raft log");

        Nodes other = new Nodes(tmp.resolve("other"), 1);
        Nodes.Node o = other.node(0);
        other.start(o, other.peers()).close();
        MetadataServer wrongGroup = new MetadataServer(o.id(), o.dir(), "127.0.0.1", o.port(), nodes.groupId,
                new TestLogic(), Nodes.TUNING);
        assertThatThrownBy(() -> wrongGroup.start(List.of())).isInstanceOf(IOException.class)
                .hasMessageContaining("another group");

        // Raft state intact but the RocksDB state is damaged: the failure names it.
        Files.writeString(o.dir().resolve("rocks").resolve("CURRENT"), "MANIFEST-999999\n");
        assertThatThrownBy(() -> other.start(o, List.of())).isInstanceOf(IOException.class)
                .hasMessageContaining("RocksDB");
        other.close();
    }

    @Test
    void failedStartIsCleanAndCanBeRetried() throws Exception {
        nodes = new Nodes(tmp, 1);
        Nodes.Node a = nodes.node(0);
        MetadataServer s = new MetadataServer(a.id(), a.dir(), "127.0.0.1", a.port(), nodes.groupId,
                new TestLogic(), Nodes.TUNING);
        try (ServerSocket squatter = new ServerSocket(a.port(), 50, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> s.start(nodes.peers())).isInstanceOf(IOException.class)
                    .hasMessageContaining(a.id()).hasMessageContaining(String.valueOf(a.port()));
            assertThat(s.isRunning()).isFalse();
        }
        s.start(nodes.peers());
        try {
            Nodes.poll("leader after retry", () -> s.isLeader() ? Optional.of(true) : Optional.empty());
            assertThat(s.isRunning()).isTrue();
        } finally {
            s.close();
        }
        assertThatThrownBy(() -> s.start(nodes.peers())).isInstanceOf(IllegalStateException.class);
    }
}
