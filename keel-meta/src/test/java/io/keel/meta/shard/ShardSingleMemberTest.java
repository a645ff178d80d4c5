package io.keel.meta.shard;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.meta.raft.MetaClient;
import io.keel.meta.raft.MetadataServer;
import io.keel.meta.raft.Peer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A one-member shard hosted by a one-member metadata server (the `keel up` single-node case). */
class ShardSingleMemberTest {
    static final String SHARD = "idx-0";
    static final String GRIN = "\ud83d\ude00";
    static final String PRIVATE_USE = "\ue000";
    static final String E_ACUTE = "\u00e9";

    @TempDir
    Path tmp;
    ShardCluster cluster;
    ShardCluster.Node node;
    RaftIndexShard shard;

    @BeforeEach
    void start() throws Exception {
        cluster = new ShardCluster(tmp, 1);
        node = cluster.node(0);
        cluster.startAll();
        cluster.hostEverywhere(SHARD);
        shard = cluster.shard(SHARD, ShardCluster.TUNING.requestTimeout());
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

    static List<String> keys(List<ShardEntry> entries) {
        return entries.stream().map(ShardEntry::key).toList();
    }

    @Test
    void hostsTheShardAsASecondGroupBesideTheMetadataGroup() throws Exception {
        MetadataServer server = cluster.server(node);
        assertThat(server.hostedShards()).containsExactly(SHARD);
        server.hostShard(SHARD, cluster.peers());
        assertThat(server.hostedShards()).as("hosting again is a no-op").containsExactly(SHARD);

        MetaClient meta = cluster.meta();
        assertThat(meta.submit(b("put m/key meta")).result()).isEqualTo(b("ok"));
        assertThat(shard.commit(ShardBatch.of(List.of(put("m/key", "shard"))))).isTrue();
        // Same port, separate groups, separate state.
        assertThat(meta.remoteReader().get("m/key")).map(String::new).contains("meta");
        assertThat(shard.get("m/key")).map(String::new).contains("shard");
        assertThat(server.reader().scan("")).containsOnlyKeys("m/key");
        assertThat(server.shardReader(SHARD).get("m/key")).map(String::new).contains("shard");

        assertThat(node.dir().resolve("s3index").resolve(SHARD).resolve("rocks")).isDirectory();
        assertThat(node.dir().resolve("raft").resolve(ShardGroups.groupId(SHARD).toString())).isDirectory();
        assertThat(server.shardStatus(SHARD).members()).extracting(Peer::id).containsExactly("n1");
        assertThat(server.shardStatus("other").role()).isEqualTo("STOPPED");
    }

    @Test
    void conditionalCommitsConflictAndCountersAdd() throws Exception {
        assertThat(shard.commit(new ShardBatch(List.of(new ShardBatch.Absent("o/k")),
                List.of(put("o/k", "v1"), new ShardBatch.Add("c/count", 1))))).isTrue();
        // Create-if-absent a second time: conflict, nothing written (the counter is unchanged).
        assertThat(shard.commitOutcome(new ShardBatch(List.of(new ShardBatch.Absent("o/k")),
                List.of(put("o/k", "v2"), new ShardBatch.Add("c/count", 1))))).isEqualTo(new ShardOutcome.Conflict(0));
        // Compare-and-set against the current value wins, against a stale one loses.
        assertThat(shard.commit(new ShardBatch(List.of(new ShardBatch.Equals("o/k", b("v1"))),
                List.of(put("o/k", "v2"))))).isTrue();
        assertThat(shard.commit(new ShardBatch(List.of(new ShardBatch.Equals("o/k", b("v1"))),
                List.of(put("o/k", "v3"))))).isFalse();
        assertThat(shard.get("o/k")).map(String::new).contains("v2");
        assertThat(ShardLogic.counterValue(shard.get("c/count"))).isEqualTo(1);

        assertThat(shard.commit(ShardBatch.of(List.of(new ShardBatch.Add("c/count", 41), new ShardBatch.Add("c/bytes", 7)))))
                .isTrue();
        assertThat(ShardLogic.counterValue(shard.get("c/count"))).isEqualTo(42);
        assertThat(shard.commit(ShardBatch.of(List.of(new ShardBatch.Add("c/bytes", -7))))).isTrue();
        assertThat(shard.get("c/bytes")).as("a counter at zero is removed").isEmpty();

        // A batch the shard must refuse (Add to a non-counter) is an error, not a conflict, and writes nothing.
        assertThatThrownBy(() -> shard.commit(ShardBatch.of(List.of(put("o/x", "1"), new ShardBatch.Add("o/k", 1)))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("8-byte counter");
        assertThat(shard.get("o/x")).isEmpty();
    }

    @Test
    void scansAreBoundedLimitedAndInUtf8Order() throws Exception {
        shard.commit(ShardBatch.of(List.of(put("o/b/" + GRIN, "4"), put("o/b/" + PRIVATE_USE, "3"), put("o/b/" + E_ACUTE, "2"),
                put("o/b/z", "1"), put("o/b/a", "0"), put("o/a/x", "-"), put("o/c/x", "-"), put("p", "-"))));
        assertThat(keys(shard.scan("o/b/", "o/c", 100)))
                .containsExactly("o/b/a", "o/b/z", "o/b/" + E_ACUTE, "o/b/" + PRIVATE_USE, "o/b/" + GRIN);
        assertThat(keys(shard.scan("o/b/", "o/c", 2))).containsExactly("o/b/a", "o/b/z");
        // Continuing after the last key returned, as the lister does with a continuation token.
        assertThat(keys(shard.scan("o/b/z\u0000", "o/c", 2))).containsExactly("o/b/" + E_ACUTE, "o/b/" + PRIVATE_USE);
        assertThat(keys(shard.scan("o/b/" + E_ACUTE, "o/b/" + GRIN, 100)))
                .containsExactly("o/b/" + E_ACUTE, "o/b/" + PRIVATE_USE);
        assertThat(keys(shard.scan("o/c", null, 100))).containsExactly("o/c/x", "p");
        assertThat(shard.scan("o/b/a", null, 1).get(0).value()).isEqualTo(b("0"));
        assertThat(shard.scan("q", null, 10)).isEmpty();
        assertThatThrownBy(() -> shard.scan("", null, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> shard.scan("\udc00", null, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void restartRecoversTheShardWithItsDataWithAndWithoutASnapshot() throws Exception {
        shard.commit(ShardBatch.of(List.of(put("a", "1"), new ShardBatch.Add("n", 5))));
        cluster.server(node).takeShardSnapshot(SHARD);
        shard.commit(ShardBatch.of(List.of(put("b", "2"), new ShardBatch.Add("n", 5))));

        cluster.stop(node);
        MetadataServer restarted = cluster.start(node);
        // Ratis recovers the shard group from its storage on start; the agent's next call is a no-op.
        assertThat(restarted.hostedShards()).containsExactly(SHARD);
        restarted.hostShard(SHARD, cluster.peers());
        assertThat(shard.get("a")).map(String::new).contains("1");
        assertThat(shard.get("b")).map(String::new).contains("2");
        assertThat(ShardLogic.counterValue(shard.get("n"))).isEqualTo(10);
        assertThat(shard.commit(new ShardBatch(List.of(new ShardBatch.Equals("b", b("2"))), List.of(put("c", "3")))))
                .isTrue();
        assertThat(keys(shard.scan("", null, 10))).containsExactly("a", "b", "c", "n");
    }

    @Test
    void dropDeletesTheShardAndHostingAgainStartsEmpty() throws Exception {
        MetadataServer server = cluster.server(node);
        shard.commit(ShardBatch.of(List.of(put("a", "1"))));
        server.dropShard(SHARD);
        server.dropShard(SHARD);
        assertThat(server.hostedShards()).isEmpty();
        assertThat(node.dir().resolve("s3index").resolve(SHARD)).doesNotExist();
        assertThat(node.dir().resolve("raft").resolve(ShardGroups.groupId(SHARD).toString())).doesNotExist();

        RaftIndexShard quick = cluster.shard(SHARD, Duration.ofSeconds(1));
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> quick.get("a")).isInstanceOf(ShardUnavailableException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        // The metadata group is untouched.
        assertThat(cluster.meta().submit(b("put k v")).result()).isEqualTo(b("ok"));

        server.hostShard(SHARD, cluster.peers());
        ShardCluster.poll("the re-hosted shard answers", () -> {
            try {
                return Optional.of(shard.get("a"));
            } catch (ShardUnavailableException e) {
                return Optional.empty();
            }
        });
        assertThat(shard.get("a")).isEmpty();
        try (Stream<Path> raftDirs = Files.list(node.dir().resolve("raft"))) {
            assertThat(raftDirs.count()).as("metadata group and one shard").isEqualTo(2);
        }
    }

    @Test
    void refusesBadHostingRequests() {
        MetadataServer server = cluster.server(node);
        assertThatThrownBy(() -> server.hostShard("idx-1", List.of(new Peer("n9", "127.0.0.1", node.port()))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("do not include n1");
        assertThatThrownBy(() -> server.hostShard("../x", cluster.peers()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shard id");
        assertThatThrownBy(() -> server.hostShard("idx-1", List.of(new Peer("n1", "127.0.0.1", node.port() == 1 ? 2 : 1))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(server.hostedShards()).containsExactly(SHARD);
    }
}
