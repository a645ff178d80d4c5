package io.keel.meta.shard;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.keel.meta.raft.MetaClient;
import io.keel.meta.raft.MetadataServer;
import io.keel.meta.raft.Peer;
import io.keel.meta.raft.RaftStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A three-member shard hosted in the same three servers (and ports) as a three-member metadata group. */
class ShardThreeMemberTest {
    static final String SHARD = "idx-0";
    /** Spans a leader election or two on a busy two-core machine. */
    static final Duration TIMEOUT = Duration.ofSeconds(8);

    @TempDir
    Path tmp;
    ShardCluster cluster;
    RaftIndexShard shard;

    @BeforeEach
    void start() throws Exception {
        cluster = new ShardCluster(tmp, 3);
        cluster.startAll();
        cluster.hostEverywhere(SHARD);
        shard = cluster.shard(SHARD, TIMEOUT);
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    static ShardBatch.Put put(String k, String v) {
        return new ShardBatch.Put(k, b(v));
    }

    private List<MetadataServer> servers() {
        List<MetadataServer> out = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Optional.ofNullable(cluster.server(cluster.node(i))).ifPresent(out::add);
        }
        return out;
    }

    /** Every running replica has applied what the leader has committed, and holds {@code key}. */
    private void awaitReplicated(String key, String value) {
        MetadataServer leader = cluster.server(cluster.awaitShardLeader(SHARD));
        long committed = leader.shardStatus(SHARD).commitIndex();
        for (MetadataServer s : servers()) {
            ShardCluster.awaitApplied(s, SHARD, committed);
            assertThat(s.shardReader(SHARD).get(key)).map(String::new).contains(value);
        }
    }

    @Test
    void replicatesAndServesFromAnyNodeBesideTheMetadataGroup() throws Exception {
        assertThat(shard.commit(ShardBatch.of(List.of(put("o/a", "1"))))).isTrue();
        assertThat(shard.get("o/a")).map(String::new).contains("1");
        awaitReplicated("o/a", "1");
        for (MetadataServer s : servers()) {
            assertThat(s.hostedShards()).containsExactly(SHARD);
            assertThat(s.shardStatus(SHARD).members()).extracting(Peer::id).containsExactly("n1", "n2", "n3");
        }
        // The metadata group runs in the same servers, unaffected.
        MetaClient meta = cluster.meta();
        assertThat(meta.submit(b("put m v")).result()).isEqualTo(b("ok"));
        assertThat(meta.remoteReader().get("m")).map(String::new).contains("v");
        assertThat(meta.remoteReader().get("o/a")).isEmpty();

        // A gateway that knows only one member, and not the leader, still reaches the leader.
        ShardCluster.Node leader = cluster.awaitShardLeader(SHARD);
        Peer follower = cluster.peers().stream().filter(p -> !p.id().equals(leader.id())).findFirst().orElseThrow();
        try (RaftIndexShard viaFollower = new RaftIndexShard(SHARD, List.of(follower), TIMEOUT)) {
            assertThat(viaFollower.commit(new ShardBatch(List.of(new ShardBatch.Equals("o/a", b("1"))),
                    List.of(put("o/b", "2"))))).isTrue();
            assertThat(viaFollower.scan("o/", null, 10)).extracting(ShardEntry::key).containsExactly("o/a", "o/b");
        }
        // Read-your-writes across clients: the read is linearizable, not served from a lagging replica.
        assertThat(shard.get("o/b")).map(String::new).contains("2");
    }

    @Test
    void concurrentConditionalCommitsAndCountersStayExact() throws Exception {
        shard.commit(ShardBatch.of(List.of(put("cas", "0"))));
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<Integer>> workers = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                workers.add(pool.submit(() -> {
                    int conflicts = 0;
                    for (int i = 0; i < 5; i++) {
                        shard.commit(ShardBatch.of(List.of(new ShardBatch.Add("count", 1))));
                        // Read-modify-write with compare-and-set: retry on conflict, as the gateway does.
                        while (true) {
                            byte[] current = shard.get("cas").orElseThrow();
                            String next = Integer.toString(Integer.parseInt(new String(current, UTF_8)) + 1);
                            if (shard.commit(new ShardBatch(List.of(new ShardBatch.Equals("cas", current)),
                                    List.of(put("cas", next))))) {
                                break;
                            }
                            conflicts++;
                        }
                    }
                    return conflicts;
                }));
            }
            for (Future<Integer> w : workers) {
                w.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(ShardLogic.counterValue(shard.get("count"))).isEqualTo(15);
        assertThat(shard.get("cas")).map(String::new).contains("15");
    }

    @Test
    void keepsServingWhenTheLeaderIsLostAndTheRestartedMemberCatchesUp() throws Exception {
        assertThat(shard.commit(ShardBatch.of(List.of(put("a", "1"), new ShardBatch.Add("n", 1))))).isTrue();
        ShardCluster.Node leader = cluster.awaitShardLeader(SHARD);
        cluster.stop(leader);

        // The client finds the new leader by itself, within its timeout.
        assertThat(shard.commit(new ShardBatch(List.of(new ShardBatch.Equals("a", b("1"))),
                List.of(put("b", "2"), new ShardBatch.Add("n", 1))))).isTrue();
        assertThat(shard.get("a")).map(String::new).contains("1");
        assertThat(shard.scan("", null, 10)).extracting(ShardEntry::key).containsExactly("a", "b", "n");
        assertThat(cluster.awaitShardLeader(SHARD)).isNotEqualTo(leader);

        MetadataServer back = cluster.start(leader);
        assertThat(back.hostedShards()).containsExactly(SHARD);
        awaitReplicated("b", "2");
        assertThat(ShardLogic.counterValue(back.shardReader(SHARD).get("n"))).isEqualTo(2);
    }

    @Test
    void aMemberBehindAPurgedLogCatchesUpFromAnInstalledSnapshot() throws Exception {
        ShardCluster.Node leader = cluster.awaitShardLeader(SHARD);
        ShardCluster.Node lagging = cluster.node(leader == cluster.node(0) ? 1 : 0);
        cluster.stop(lagging);
        for (int i = 0; i < 5; i++) {
            shard.commit(ShardBatch.of(List.of(put("early/" + i, "v" + i))));
        }
        // A new term closes the open log segment everywhere, so the snapshot below can purge it.
        cluster.stop(leader);
        cluster.start(leader);
        for (int i = 0; i < 5; i++) {
            shard.commit(ShardBatch.of(List.of(put("late/" + i, "w" + i))));
        }
        MetadataServer current = cluster.server(cluster.awaitShardLeader(SHARD));
        current.takeShardSnapshot(SHARD);
        Path currentDir = current == cluster.server(leader) ? leader.dir() : otherThan(leader, lagging).dir();
        ShardCluster.poll("the leader's log purged up to its snapshot", () ->
                logSegments(currentDir).stream().noneMatch(n -> n.startsWith("log_0-")) ? Optional.of(true) : Optional.empty());

        MetadataServer back = cluster.start(lagging);
        awaitReplicated("late/4", "w4");
        assertThat(back.shardReader(SHARD).scan("")).hasSize(10);
        assertThat(snapshotDirs(lagging.dir())).as("state arrived as a snapshot, not by log replay").isNotEmpty();
        RaftStatus st = back.shardStatus(SHARD);
        assertThat(st.role()).isIn("FOLLOWER", "LEADER");
    }

    private ShardCluster.Node otherThan(ShardCluster.Node x, ShardCluster.Node y) {
        for (int i = 0; i < 3; i++) {
            if (cluster.node(i) != x && cluster.node(i) != y) {
                return cluster.node(i);
            }
        }
        throw new IllegalStateException();
    }

    private static Path shardRaftDir(Path nodeDir) {
        return nodeDir.resolve("raft").resolve(ShardGroups.groupId(SHARD).toString());
    }

    private static List<String> snapshotDirs(Path nodeDir) throws IOException {
        return list(shardRaftDir(nodeDir).resolve("sm")).stream().filter(n -> n.startsWith("snapshot.")).toList();
    }

    private static List<String> logSegments(Path nodeDir) {
        try {
            return list(shardRaftDir(nodeDir).resolve("current")).stream().filter(n -> n.startsWith("log_")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void concurrentCommitsAreGroupedAndEachGetsItsOwnOutcome() throws Exception {
        // 24 writers race compare-and-set increments of 3 counters and add 600 keys of their own:
        // with 8 senders most of these travel in groups, and any answer mixed up between members
        // shows as a counter that disagrees with the increments reported applied.
        int writers = 24;
        java.util.concurrent.atomic.AtomicLongArray applied = new java.util.concurrent.atomic.AtomicLongArray(3);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        int c = (writer + i) % 3;
                        String key = "c/" + c;
                        Optional<byte[]> old = shard.get(key);
                        long value = ShardLogic.counterValue(old);
                        ShardBatch.Condition cond = old.isPresent() ? new ShardBatch.Equals(key, old.get())
                                : new ShardBatch.Absent(key);
                        ShardBatch b = new ShardBatch(List.of(cond), List.of(
                                new ShardBatch.Put(key, ShardLogic.counterBytes(value + 1)),
                                put("w/" + writer + "/" + i, "x")));
                        if (shard.commit(b)) {
                            applied.incrementAndGet(c);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(120, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
        long total = 0;
        for (int c = 0; c < 3; c++) {
            assertThat(ShardLogic.counterValue(shard.get("c/" + c))).as("counter %d", c).isEqualTo(applied.get(c));
            total += applied.get(c);
        }
        assertThat(shard.scan("w/", "w0", 10_000)).hasSize((int) total);
    }
}
