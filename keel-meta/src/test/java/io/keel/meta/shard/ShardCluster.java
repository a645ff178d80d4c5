package io.keel.meta.shard;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.keel.meta.TestPorts;
import io.keel.meta.raft.MetaClient;
import io.keel.meta.raft.MetadataServer;
import io.keel.meta.raft.Peer;
import io.keel.meta.raft.RaftStatus;
import io.keel.meta.raft.RaftTuning;
import io.keel.meta.store.KvWriter;
import io.keel.meta.store.ReplicatedLogic;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Local nodes, each one {@link MetadataServer} on its own port hosting a metadata group and index
 * shards, like a Keel node does. Directories and ports stay fixed so servers can be restarted.
 */
final class ShardCluster implements AutoCloseable {
    static final RaftTuning TUNING = new RaftTuning(Duration.ofMillis(500), Duration.ofMillis(1000), 10_000,
            Duration.ofSeconds(3));
    static final Duration WAIT = Duration.ofSeconds(20);

    record Node(String id, Path dir, int port) {
        Peer peer() {
            return new Peer(id, "127.0.0.1", port);
        }
    }

    /** The metadata group's logic for these tests: "put k v" stores v under k. */
    static final class MetaLogic implements ReplicatedLogic {
        @Override
        public byte[] apply(long index, byte[] command, KvWriter kv) {
            String[] parts = new String(command, UTF_8).split(" ", 3);
            kv.put(parts[1], parts[2].getBytes(UTF_8));
            return "ok".getBytes(UTF_8);
        }
    }

    final String metaGroup = UUID.randomUUID().toString();
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, MetadataServer> running = new ConcurrentHashMap<>();
    private final List<AutoCloseable> clients = new ArrayList<>();

    ShardCluster(Path root, int count) {
        for (int i = 0; i < count; i++) {
            String id = "n" + (i + 1);
            nodes.add(new Node(id, root.resolve(id), freePort()));
        }
    }

    Node node(int i) {
        return nodes.get(i);
    }

    List<Peer> peers() {
        return nodes.stream().map(Node::peer).toList();
    }

    /** Starts the node's server with the metadata group over every node. */
    MetadataServer start(Node n) throws IOException {
        MetadataServer s = new MetadataServer(n.id(), n.dir(), "127.0.0.1", n.port(), metaGroup, new MetaLogic(), TUNING);
        s.start(peers());
        running.put(n.id(), s);
        return s;
    }

    void startAll() throws IOException {
        for (Node n : nodes) {
            start(n);
        }
    }

    /** What the node agent does on every member: host the shard over all nodes. */
    void hostEverywhere(String shardId) throws IOException {
        for (MetadataServer s : running.values()) {
            s.hostShard(shardId, peers());
        }
    }

    MetadataServer server(Node n) {
        return running.get(n.id());
    }

    void stop(Node n) {
        MetadataServer s = running.remove(n.id());
        if (s != null) {
            s.close();
        }
    }

    RaftIndexShard shard(String shardId, Duration timeout) {
        RaftIndexShard c = new RaftIndexShard(shardId, peers(), timeout);
        clients.add(c);
        return c;
    }

    MetaClient meta() {
        MetaClient c = new MetaClient(metaGroup, peers(), TUNING.requestTimeout());
        clients.add(c);
        return c;
    }

    /** The node whose replica of the shard leads, once exactly one does. */
    Node awaitShardLeader(String shardId) {
        return poll("a leader of shard " + shardId, () -> {
            List<Node> leaders = nodes.stream()
                    .filter(n -> running.containsKey(n.id()))
                    .filter(n -> running.get(n.id()).shardStatus(shardId).role().equals("LEADER"))
                    .toList();
            return leaders.size() == 1 ? Optional.of(leaders.get(0)) : Optional.empty();
        });
    }

    static void awaitApplied(MetadataServer s, String shardId, long index) {
        poll(s.shardStatus(shardId) + " applying index " + index, () -> {
            RaftStatus st = s.shardStatus(shardId);
            return st.appliedIndex() >= index ? Optional.of(st) : Optional.empty();
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

    /** A free port no node of this set has. */
    int freePort() {
        return TestPorts.free(nodes.stream().map(Node::port).toList());
    }

    @Override
    public void close() {
        for (AutoCloseable c : clients) {
            try {
                c.close();
            } catch (Exception e) {
                // Best effort: the servers are closed next either way.
            }
        }
        running.values().forEach(MetadataServer::close);
        running.clear();
    }
}
