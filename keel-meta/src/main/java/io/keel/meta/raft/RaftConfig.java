package io.keel.meta.raft;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.netty.NettyConfigKeys;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.TimeDuration;

/** Ratis properties and peer conversions shared by {@link MetadataServer} and {@link MetaClient}. */
final class RaftConfig {
    private RaftConfig() {
    }

    static RaftProperties server(Path raftDir, String bindHost, int port, RaftTuning tuning) {
        RaftProperties p = new RaftProperties();
        RaftConfigKeys.Rpc.setType(p, SupportedRpcType.NETTY);
        NettyConfigKeys.Server.setHost(p, bindHost);
        NettyConfigKeys.Server.setPort(p, port);
        RaftServerConfigKeys.setStorageDir(p, List.of(raftDir.toFile()));

        RaftServerConfigKeys.Rpc.setTimeoutMin(p, td(tuning.electionTimeoutMin()));
        RaftServerConfigKeys.Rpc.setTimeoutMax(p, td(tuning.electionTimeoutMax()));
        RaftServerConfigKeys.Rpc.setRequestTimeout(p, td(tuning.requestTimeout()));
        RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
        // No heartbeat round per read (ADR 0049): the leader answers under its lease, and from its
        // applied index, which covers every write whose reply has left it.
        RaftServerConfigKeys.Read.setLeaderLeaseEnabled(p, true);
        RaftServerConfigKeys.Read.ReadIndex.setType(p, RaftServerConfigKeys.Read.ReadIndex.Type.APPLIED_INDEX);
        RaftServerConfigKeys.LeaderElection.setPreVote(p, true);
        // A leader that hears from no majority for electionTimeoutMax steps down by itself (Ratis
        // checkLeadership). This key is how long it then refrains from campaigning; Ratis' 10 s default
        // would keep a healed former leader out of elections needlessly long.
        RaftServerConfigKeys.LeaderElection.setLeaderStepDownWaitTime(p, td(tuning.electionTimeoutMax().multipliedBy(2)));

        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, tuning.snapshotAutoTriggerThreshold());
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, 2);
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
        // Purge on every snapshot; snapshots are already spaced by the auto-trigger threshold.
        RaftServerConfigKeys.Log.setPurgeGap(p, 1);
        RaftServerConfigKeys.Log.Appender.setInstallSnapshotEnabled(p, true);
        return p;
    }

    static RaftProperties client(Duration requestTimeout) {
        RaftProperties p = new RaftProperties();
        RaftConfigKeys.Rpc.setType(p, SupportedRpcType.NETTY);
        RaftClientConfigKeys.Rpc.setRequestTimeout(p, td(requestTimeout));
        return p;
    }

    static TimeDuration td(Duration d) {
        return TimeDuration.valueOf(Math.max(1, d.toMillis()), TimeUnit.MILLISECONDS);
    }

    static RaftGroupId groupId(String uuid) {
        try {
            return RaftGroupId.valueOf(UUID.fromString(uuid));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("groupId must be a UUID string: " + uuid, e);
        }
    }

    static RaftPeer toRaft(Peer peer) {
        return RaftPeer.newBuilder().setId(peer.id()).setAddress(peer.address()).build();
    }

    static List<RaftPeer> toRaft(Collection<Peer> peers) {
        Set<String> ids = new HashSet<>();
        List<RaftPeer> out = new ArrayList<>();
        for (Peer p : peers) {
            if (!ids.add(p.id())) {
                throw new IllegalArgumentException("duplicate peer id " + p.id());
            }
            out.add(toRaft(p));
        }
        return out;
    }

    static Peer fromRaft(RaftPeer peer) {
        String address = peer.getAddress();
        int colon = address == null ? -1 : address.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalStateException("peer " + peer.getId() + " has no host:port address: " + address);
        }
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new Peer(peer.getId().toString(), host, Integer.parseInt(address.substring(colon + 1)));
    }

    static List<Peer> fromRaft(Collection<RaftPeer> peers) {
        return peers.stream().map(RaftConfig::fromRaft).sorted(Comparator.comparing(Peer::id)).toList();
    }
}
