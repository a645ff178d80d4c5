package io.keel.meta.raft;

import io.keel.meta.shard.ShardGroups;
import io.keel.meta.shard.ShardLogic;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.statemachine.StateMachine;
import org.apache.ratis.util.FileUtils;

/**
 * The object index shards (ADR 0040, 0041) one {@link MetadataServer} hosts beside its metadata
 * group, in the same Ratis server. Layout under the metadata storage dir: the shard's Raft log and
 * snapshots in {@code raft/<group uuid>/} (Ratis keeps every group of a server under its one storage
 * dir) and its applied state in {@code s3index/<shardId>/rocks/}.
 *
 * <p>The shard directory is what makes a group known here: Ratis recovers every group directory it
 * finds when the server starts and asks the state machine registry for each, and a group UUID cannot
 * be turned back into a shard id, so the ids are read from {@code s3index/} and mapped to their
 * derived group ids. A group nobody registered (e.g. a group-add sent by a stranger) gets no state
 * machine and is refused.
 */
final class ShardHosting {
    private final Path shardsDir;
    private final Path raftDir;
    private final Map<RaftGroupId, String> known = new ConcurrentHashMap<>();
    private final Map<RaftGroupId, MetaStateMachine> machines = new ConcurrentHashMap<>();

    ShardHosting(Path storageDir) {
        Objects.requireNonNull(storageDir, "storageDir");
        this.shardsDir = storageDir.resolve("s3index");
        this.raftDir = storageDir.resolve("raft");
    }

    static RaftGroupId groupId(String shardId) {
        return RaftGroupId.valueOf(ShardGroups.groupId(shardId));
    }

    /** Registers the shards found on disk; call before the Ratis server is built. */
    void loadKnown() throws IOException {
        if (!Files.isDirectory(shardsDir)) {
            return;
        }
        try (Stream<Path> entries = Files.list(shardsDir)) {
            for (Path p : entries.filter(Files::isDirectory).toList()) {
                String name = p.getFileName().toString();
                try {
                    known.put(groupId(name), name);
                } catch (IllegalArgumentException e) {
                    throw new IOException("Shard storage " + shardsDir + " holds " + name
                            + ", which is not a shard id; it is corrupted or belongs to something else", e);
                }
            }
        }
    }

    boolean isShardGroupDir(String name) {
        return known.keySet().stream().anyMatch(g -> g.getUuid().toString().equals(name));
    }

    Optional<String> shardOf(RaftGroupId groupId) {
        return Optional.ofNullable(known.get(groupId));
    }

    List<String> knownShards() {
        return known.values().stream().sorted().toList();
    }

    /** The state machine registry's answer for a group other than the metadata group. */
    StateMachine stateMachine(RaftGroupId groupId) {
        String shardId = known.get(groupId);
        if (shardId == null) {
            throw new IllegalArgumentException("group " + groupId + " is neither the metadata group nor a shard"
                    + " hosted here; refusing to create it");
        }
        MetaStateMachine sm = new MetaStateMachine(new ShardLogic(), rocksDir(shardId));
        MetaStateMachine previous = machines.put(groupId, sm);
        if (previous != null) {
            previous.close();
        }
        return sm;
    }

    /**
     * Prepares the directories of a shard about to be added to the server.
     *
     * @return true if its Raft storage exists and must be recovered, false if it is to be formatted
     * @throws IOException if the Raft storage exists but is not usable
     */
    boolean prepare(String shardId) throws IOException {
        RaftGroupId groupId = groupId(shardId);
        Path groupDir = raftDir.resolve(groupId.getUuid().toString());
        boolean recover = Files.exists(groupDir);
        if (recover && !Files.isRegularFile(groupDir.resolve("current").resolve("raft-meta"))) {
            // Same rule as the metadata group: never let Ratis reformat a log it may have voted from.
            throw new IOException("Raft storage " + groupDir + " of shard " + shardId + " is empty or corrupted"
                    + " (no current/raft-meta); refusing to reformat it. Drop the shard to rejoin it empty.");
        }
        Path shardDir = shardsDir.resolve(shardId);
        if (!recover) {
            // Applied state without its log is a leftover of an interrupted drop; the log is the
            // authority, and a new member gets everything from the leader.
            FileUtils.deleteFully(shardDir);
        }
        Files.createDirectories(shardDir);
        known.put(groupId, shardId);
        return recover;
    }

    /** Forgets a shard removed from the server and deletes whatever is left of its storage. */
    void forget(String shardId) throws IOException {
        RaftGroupId groupId = groupId(shardId);
        MetaStateMachine sm = machines.remove(groupId);
        if (sm != null) {
            sm.close();
        }
        known.remove(groupId);
        FileUtils.deleteFully(raftDir.resolve(groupId.getUuid().toString()));
        FileUtils.deleteFully(shardsDir.resolve(shardId));
    }

    Optional<MetaStateMachine> machine(String shardId) {
        return Optional.ofNullable(machines.get(groupId(shardId)));
    }

    private Path rocksDir(String shardId) {
        return shardsDir.resolve(shardId).resolve("rocks");
    }

    void closeAll() {
        machines.values().forEach(MetaStateMachine::close);
        machines.clear();
    }
}
