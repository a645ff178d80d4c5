package io.keel.node.s3;

import io.keel.meta.cluster.ClusterState;
import io.keel.meta.cluster.S3Cluster;
import io.keel.meta.raft.MetadataServer;
import io.keel.meta.raft.Peer;
import java.io.IOException;
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
    }
}
