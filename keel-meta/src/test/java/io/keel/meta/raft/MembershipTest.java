package io.keel.meta.raft;

import static io.keel.meta.raft.TestLogic.cmd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MembershipTest {
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
    void growsFromOneToThreeViaSnapshotInstallThenShrinks() throws Exception {
        nodes = new Nodes(tmp, 3);
        Nodes.Node a = nodes.node(0);
        Nodes.Node b = nodes.node(1);
        Nodes.Node c = nodes.node(2);

        MetadataServer sa = nodes.start(a, nodes.peers(a));
        nodes.awaitLeader();
        MetaClient solo = nodes.client(nodes.peers(a));
        for (int i = 0; i < 5; i++) {
            solo.submit(cmd("put early/" + i + " v" + i));
        }
        // A restart starts a new term, which closes the current log segment so the snapshot can purge it.
        nodes.stop(a);
        sa = nodes.start(a, List.of());
        nodes.awaitLeader();
        long last = 0;
        for (int i = 0; i < 5; i++) {
            last = solo.submit(cmd("put late/" + i + " w" + i)).logIndex();
        }
        sa.takeSnapshot();
        assertThat(snapshotDirs(a)).isNotEmpty();
        // Ratis purges closed log segments up to the snapshot right after answering the request.
        Nodes.poll("log purged up to the snapshot", () -> logSegments(a).stream().noneMatch(n -> n.startsWith("log_0-"))
                ? Optional.of(true) : Optional.empty());

        // New members start with no configuration, so they cannot campaign before the leader adds them.
        MetadataServer sb = nodes.start(b, List.of());
        MetadataServer sc = nodes.start(c, List.of());
        assertThat(sb.isLeader()).isFalse();
        assertThatThrownBy(() -> sb.setMembers(nodes.peers(), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalStateException.class);

        sa.setMembers(nodes.peers(), Duration.ofSeconds(30));
        assertThat(sa.status().members()).extracting(Peer::id).containsExactly("n1", "n2", "n3");
        SortedMap<String, String> expected = Nodes.dump(sa);
        assertThat(expected).hasSize(10);
        for (MetadataServer s : List.of(sb, sc)) {
            Nodes.awaitApplied(s, last);
            assertThat(Nodes.dump(s)).isEqualTo(expected);
            assertThat(s.status().members()).hasSize(3);
        }
        // The joiners got the state as an installed snapshot, not by replaying the purged log.
        assertThat(snapshotDirs(b)).isNotEmpty();
        assertThat(snapshotDirs(c)).isNotEmpty();

        MetaClient all = nodes.client(nodes.peers());
        long three = all.submit(cmd("put after/3 x")).logIndex();
        for (MetadataServer s : nodes.servers()) {
            Nodes.awaitApplied(s, three);
        }

        // Remove a follower; the remaining two still commit.
        MetadataServer leader = nodes.awaitLeader();
        Nodes.Node removed = leader == sc ? b : c;
        List<Peer> remaining = nodes.peers().stream().filter(p -> !p.id().equals(removed.id())).toList();
        leader.setMembers(remaining, Duration.ofSeconds(30));
        assertThat(leader.status().members()).extracting(Peer::id).doesNotContain(removed.id()).hasSize(2);
        nodes.stop(removed);
        all.updatePeers(remaining);
        long two = all.submit(cmd("put after/2 y")).logIndex();
        for (MetadataServer s : nodes.servers()) {
            Nodes.awaitApplied(s, two);
            assertThat(s.reader().get("after/2")).map(TestLogic::str).contains("y");
        }
    }

    private static List<String> snapshotDirs(Nodes.Node n) throws IOException {
        return list(smDir(n)).stream().filter(name -> name.startsWith("snapshot.")).toList();
    }

    private static List<String> logSegments(Nodes.Node n) {
        try {
            return list(smDir(n).resolveSibling("current")).stream().filter(name -> name.startsWith("log_")).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Path smDir(Nodes.Node n) throws IOException {
        try (Stream<Path> groups = Files.list(n.dir().resolve("raft"))) {
            return groups.findFirst().orElseThrow().resolve("sm");
        }
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
