package io.keel.node.s3;

import io.keel.meta.cluster.ClusterState;
import io.keel.meta.cluster.S3Cluster;
import io.keel.meta.raft.MetadataServer;
import io.keel.meta.raft.Peer;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hosts the S3 cluster's object index shards on this node while it is a member of the metadata
 * group (ADR 0040 §8, ADR 0041): each shard is a Raft group of its own in the same Ratis server,
 * with the metadata group's members. Called with every state the agent reads; hosting is
 * idempotent and survives restarts by itself, so most rounds do nothing.
 */
public final class S3IndexHosting {
    private static final Logger log = LoggerFactory.getLogger(S3IndexHosting.class);

    private final String selfId;
    private final Supplier<Optional<MetadataServer>> server;
    private final Supplier<List<Peer>> members;
    /** A refused or failed leadership transfer is tried again after this long. */
    static final Duration TRANSFER_EVERY = Duration.ofSeconds(30);

    private final Map<String, Long> lastTransfer = new HashMap<>();
    private String lastFailure;

    public S3IndexHosting(String selfId, Supplier<Optional<MetadataServer>> server, Supplier<List<Peer>> members) {
        this.selfId = Objects.requireNonNull(selfId, "selfId");
        this.server = Objects.requireNonNull(server, "server");
        this.members = Objects.requireNonNull(members, "members");
    }

    public void reconcile(ClusterState state) {
        Optional<S3Cluster> cluster = state.s3().cluster();
        Optional<MetadataServer> local = server.get();
        List<Peer> peers = members.get();
        if (cluster.isEmpty() || local.isEmpty() || peers.stream().noneMatch(p -> p.id().equals(selfId))) {
            return;
        }
        MetadataServer s = local.get();
        for (String shard : cluster.get().indexShards()) {
            if (s.hostedShards().contains(shard)) {
                continue;
            }
            try {
                s.hostShard(shard, peers);
                log.info("hosting S3 index shard {} with members {}", shard, peers.stream().map(Peer::id).toList());
                lastFailure = null;
            } catch (IOException | RuntimeException e) {
                String why = shard + ": " + e.getMessage();
                if (!why.equals(lastFailure)) {
                    log.warn("cannot host S3 index shard {}", why);
                    lastFailure = why;
                }
            }
        }
        placeLeaders(cluster.get(), s, peers);
    }

    /**
     * Moves a shard's leadership to a gateway node when a node without a gateway leads it (ADR
     * 0054): only gateways call the shards, and a gateway that leads answers reads and writes
     * in-process. The first gateway node among the members takes it, so no two nodes compete.
     */
    private void placeLeaders(S3Cluster cluster, MetadataServer s, List<Peer> peers) {
        List<String> memberIds = peers.stream().map(Peer::id).toList();
        Optional<String> taker = cluster.nodeIds().stream().filter(memberIds::contains).findFirst();
        if (taker.isEmpty() || !taker.get().equals(selfId)) {
            return;
        }
        long now = System.nanoTime();
        for (String shard : s.hostedShards()) {
            String leader = s.shardStatus(shard).leaderId();
            if (leader == null || cluster.runsOn(leader)) {
                continue;
            }
            Long last = lastTransfer.get(shard);
            if (last != null && now - last < TRANSFER_EVERY.toNanos()) {
                continue;
            }
            lastTransfer.put(shard, now);
            try {
                s.localShardLeader(shard).takeLeadership();
                log.info("took the leadership of S3 index shard {} from {}, which runs no S3 gateway", shard, leader);
            } catch (IOException | RuntimeException e) {
                log.warn("cannot take the leadership of S3 index shard {} from {}: {}", shard, leader, e.getMessage());
            }
        }
    }
}
