package io.keel.meta.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.meta.TestPorts;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/** Test fixtures: local nodes with fixed ports and dirs that servers can be (re)started on. */
final class Nodes implements AutoCloseable {
    static final RaftTuning TUNING = new RaftTuning(Duration.ofMillis(500), Duration.ofMillis(1000), 10_000,
            Duration.ofSeconds(3));
    static final Duration WAIT = Duration.ofSeconds(20);

    record Node(String id, Path dir, int port) {
        Peer peer() {
            return new Peer(id, "127.0.0.1", port);
        }
    }

    final String groupId = UUID.randomUUID().toString();
    private final Path root;
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, MetadataServer> running = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<MetaClient> clients = new ArrayList<>();

    Nodes(Path root, int count) {
        this.root = root;
        for (int i = 0; i < count; i++) {
            add();
        }
    }

    Node add() {
        String id = "n" + (nodes.size() + 1);
        Node n = new Node(id, root.resolve(id), freePort());
        nodes.add(n);
        return n;
    }

    Node node(int i) {
        return nodes.get(i);
    }

    List<Peer> peers(Node... subset) {
        return (subset.length == 0 ? nodes : List.of(subset)).stream().map(Node::peer).toList();
    }

    MetadataServer start(Node n, List<Peer> initialPeers) throws IOException {
        MetadataServer s = new MetadataServer(n.id(), n.dir(), "127.0.0.1", n.port(), groupId, new TestLogic(), TUNING);
        s.start(initialPeers);
        running.put(n.id(), s);
        return s;
    }

    MetadataServer server(Node n) {
        return running.get(n.id());
    }

    Collection<MetadataServer> servers() {
        return running.values();
    }

    void stop(Node n) {
        MetadataServer s = running.remove(n.id());
        if (s != null) {
            s.close();
        }
    }

    MetaClient client(List<Peer> peers) {
        MetaClient c = new MetaClient(groupId, peers, TUNING.requestTimeout());
        clients.add(c);
        return c;
    }

    /** Waits until exactly one running server is a ready leader and the others agree on it. */
    MetadataServer awaitLeader() {
        return poll("a leader among " + running.keySet(), () -> {
            List<MetadataServer> leaders = running.values().stream().filter(MetadataServer::isLeader).toList();
            return leaders.size() == 1 ? Optional.of(leaders.get(0)) : Optional.empty();
        });
    }

    static <T> T poll(String what, Supplier<Optional<T>> probe) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Optional<T> v = probe.get();
            if (v.isPresent()) {
                return v.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + WAIT + " waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    static void awaitApplied(MetadataServer s, long index) throws InterruptedException {
        assertThat(s.awaitApplied(index, WAIT)).as("applied index %d reached", index).isTrue();
    }

    /** The whole local state as strings, for comparing replicas. */
    static SortedMap<String, String> dump(MetadataServer s) {
        SortedMap<String, String> out = new TreeMap<>();
        s.reader().scan("").forEach((k, v) -> out.put(k, TestLogic.str(v)));
        return out;
    }

    /** A free port no node of this set has. */
    int freePort() {
        return TestPorts.free(nodes.stream().map(Node::port).toList());
    }

    @Override
    public void close() {
        clients.forEach(MetaClient::close);
        running.values().forEach(MetadataServer::close);
        running.clear();
    }
}
