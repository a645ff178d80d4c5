package io.keel.node.service;

import io.keel.api.ApiException;
import io.keel.meta.cluster.ClusterCodec;
import io.keel.meta.cluster.ClusterCommand;
import io.keel.meta.cluster.ClusterState;
import io.keel.meta.cluster.CommandResult;
import io.keel.meta.raft.MetaClient;
import io.keel.meta.raft.MetaUnavailableException;
import io.keel.meta.raft.MetadataServer;
import io.keel.meta.raft.Peer;
import io.keel.meta.store.KvReader;
import io.keel.node.health.HeartbeatMonitor;
import io.keel.node.membership.MetadataHost;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's one way into the metadata service. Reads come from the local replica when this node
 * hosts one (fast, and still answering while the quorum is lost), else from the leader. Writes go
 * through Raft from any node (Ratis forwards them to the leader) after a quorum check: when this
 * node can see that fewer than a majority of the metadata members are alive, the write is refused
 * before it is submitted, so a refused write can never turn up applied later (ADR 0003).
 */
public final class MetaGateway {
    private static final Logger log = LoggerFactory.getLogger(MetaGateway.class);
    private static final Duration LOCAL_APPLY_WAIT = Duration.ofSeconds(5);

    /** How many metadata members this node believes are up, of how many. */
    public record Quorum(int up, int total) {
        public boolean hasMajority() {
            return total == 0 || up >= total / 2 + 1;
        }
    }

    private final String selfId;
    private final MetadataHost host;
    private final MetaClient client;
    private final ClusterCodec codec;
    private final HeartbeatMonitor monitor;
    private final Duration quorumWindow;
    private final Supplier<List<Peer>> knownPeers;
    private final java.time.Clock clock;
    /** Send time of the latest write a majority acknowledged: certain contact with the majority. */
    private final java.util.concurrent.atomic.AtomicReference<java.time.Instant> lastAcked =
            new java.util.concurrent.atomic.AtomicReference<>();

    public MetaGateway(String selfId, MetadataHost host, MetaClient client, ClusterCodec codec,
            HeartbeatMonitor monitor, Duration quorumWindow, Supplier<List<Peer>> knownPeers, java.time.Clock clock) {
        this.selfId = Objects.requireNonNull(selfId, "selfId");
        this.host = Objects.requireNonNull(host, "host");
        this.client = Objects.requireNonNull(client, "client");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.monitor = Objects.requireNonNull(monitor, "monitor");
        this.quorumWindow = Objects.requireNonNull(quorumWindow, "quorumWindow");
        this.knownPeers = Objects.requireNonNull(knownPeers, "knownPeers");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** When the latest write that a majority acknowledged was sent, if any since this process started. */
    public Optional<java.time.Instant> lastAckedWrite() {
        return Optional.ofNullable(lastAcked.get());
    }

    /** Whether {@link #state()} reads a replica in this process (else it asks another node over the network). */
    public boolean readsLocally() {
        return host.server().isPresent();
    }

    /**
     * The local replica's applied log index, empty without a local replica. Its state can only
     * have changed when this has, which lets hot paths keep what they read until it moves.
     */
    public OptionalLong localAppliedIndex() {
        Optional<MetadataServer> local = host.server();
        return local.isPresent() ? OptionalLong.of(local.get().appliedIndex()) : OptionalLong.empty();
    }

    public ClusterState state() {
        Optional<MetadataServer> local = host.server();
        if (local.isPresent()) {
            return new ClusterState(local.get().reader(), codec);
        }
        return new ClusterState(new GuardedReader(client.remoteReader()), codec);
    }

    /**
     * The state as the leader has it, for a read that must see a write just made through another
     * node (this node's replica may lag by a few entries). Slower: it crosses the network.
     */
    public ClusterState leaderState() {
        return new ClusterState(new GuardedReader(client.remoteReader()), codec);
    }

    /** The metadata group's members: the Raft configuration when this node hosts a replica. */
    public List<Peer> members() {
        return host.server()
                .map(s -> s.status().members())
                .filter(m -> !m.isEmpty())
                .orElseGet(knownPeers);
    }

    public Quorum quorum() {
        List<Peer> members = members();
        int up = (int) members.stream().filter(p -> monitor.alive(p.id(), quorumWindow)).count();
        return new Quorum(up, members.size());
    }

    /** Replicates {@code command}; returns the applied entity id or throws the reason as an ApiException. */
    public String submit(ClusterCommand command) {
        Objects.requireNonNull(command, "command");
        Quorum q = quorum();
        if (!q.hasMajority()) {
            throw ApiException.quorumLost(q.up(), q.total());
        }
        MetaClient.SubmitResult reply;
        java.time.Instant sent = clock.instant();
        try {
            reply = client.submit(codec.encode(command));
            // Committed means a majority stored it: contact as of the send, whatever the outcome.
            lastAcked.accumulateAndGet(sent, (a, b) -> a == null || b.isAfter(a) ? b : a);
        } catch (MetaUnavailableException e) {
            log.warn("metadata write {} not accepted: {}", command.getClass().getSimpleName(), e.getMessage());
            Quorum now = quorum();
            throw ApiException.quorumLost(Math.min(now.up(), now.total() / 2), now.total());
        }
        CommandResult result = codec.decodeResult(reply.result());
        awaitLocalApply(reply.logIndex());
        return switch (result) {
            case CommandResult.Applied applied -> applied.entityId();
            case CommandResult.Rejected rejected -> throw toApi(rejected);
        };
    }

    /** So that a read right after a write on this node sees the write. */
    private void awaitLocalApply(long index) {
        Optional<MetadataServer> local = host.server();
        if (local.isEmpty()) {
            return;
        }
        try {
            if (!local.get().awaitApplied(index, LOCAL_APPLY_WAIT)) {
                log.warn("local replica has not applied index {} within {}", index, LOCAL_APPLY_WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static ApiException toApi(CommandResult.Rejected r) {
        int status = switch (r.code()) {
            case "not_found" -> 404;
            case "conflict" -> 409;
            case "forbidden" -> 403;
            case "not_initialised" -> 503;
            default -> 400;
        };
        return new ApiException(status, r.code(), r.message());
    }

    /** Turns a failed remote read into the same quorum error a write would give. */
    private final class GuardedReader implements KvReader {
        private final KvReader remote;

        GuardedReader(KvReader remote) {
            this.remote = remote;
        }

        @Override
        public Optional<byte[]> get(String key) {
            try {
                return remote.get(key);
            } catch (RuntimeException e) {
                throw unavailable(e);
            }
        }

        @Override
        public SortedMap<String, byte[]> scan(String prefix) {
            try {
                return remote.scan(prefix);
            } catch (RuntimeException e) {
                throw unavailable(e);
            }
        }

        private ApiException unavailable(RuntimeException e) {
            if (e instanceof ApiException api) {
                return api;
            }
            log.debug("remote metadata read failed on {}: {}", selfId, e.getMessage());
            Quorum q = quorum();
            return ApiException.quorumLost(Math.min(q.up(), q.total() / 2), q.total());
        }
    }
}
