package io.keel.meta.raft;

import io.keel.meta.store.KvReader;
import io.keel.meta.store.ReplicatedLogic;
import io.keel.meta.store.RocksKvStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.util.FileUtils;
import org.apache.ratis.util.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hosts a {@link ReplicatedLogic} on a {@link RocksKvStore}.
 *
 * <p>Index bookkeeping: Ratis restarts applying at the latest snapshot's index, while RocksDB may
 * already hold later entries (it is written on every apply, snapshots are rarer). Entries at or
 * below the store's applied index are therefore acknowledged without running the logic again.
 * {@link #getLastAppliedTermIndex()} covers every log entry (configuration entries too); the store's
 * own applied index only moves for commands, and is stamped up to the Raft index when a snapshot is
 * taken so a checkpoint named {@code snapshot.T_I} always contains applied index I.
 */
final class MetaStateMachine extends BaseStateMachine {
    private static final Logger LOG = LoggerFactory.getLogger(MetaStateMachine.class);

    private final ReplicatedLogic logic;
    private final Path rocksDir;
    private final SnapshotStore snapshots = new SnapshotStore();
    // Readers share it; swapping or closing the store takes it exclusively.
    private final ReentrantReadWriteLock storeLock = new ReentrantReadWriteLock();
    private volatile RocksKvStore store;
    private final Object appliedSignal = new Object();

    MetaStateMachine(ReplicatedLogic logic, Path rocksDir) {
        this.logic = Objects.requireNonNull(logic, "logic");
        this.rocksDir = Objects.requireNonNull(rocksDir, "rocksDir");
    }

    @Override
    public StateMachineStorage getStateMachineStorage() {
        return snapshots;
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        getLifeCycle().startAndTransition(() -> {
            super.initialize(server, groupId, raftStorage);
            snapshots.init(raftStorage);
            SnapshotStore.Snapshot latest = snapshots.latest();
            RocksKvStore opened = openOrRestore(latest);
            swapStore(opened);
            // Ratis replays the log from the snapshot index; match it so indexes stay monotonic.
            setLastAppliedTermIndex(latest == null ? TermIndex.INITIAL_VALUE : latest.termIndex());
            LOG.info("{}: state loaded (snapshot {}, store applied index {})", this,
                    latest == null ? "none" : latest.termIndex(), opened.appliedIndex());
        }, IOException.class);
    }

    private RocksKvStore openOrRestore(SnapshotStore.Snapshot latest) throws IOException {
        Path restoring = sibling(".restoring");
        Path old = sibling(".old");
        // Leftovers of an interrupted restore; the snapshot is still there to redo it.
        FileUtils.deleteFully(restoring);
        FileUtils.deleteFully(old);
        if (latest == null) {
            return RocksKvStore.open(rocksDir);
        }
        if (Files.isDirectory(rocksDir)) {
            RocksKvStore existing = RocksKvStore.open(rocksDir);
            if (existing.appliedIndex() >= latest.termIndex().getIndex()) {
                return existing;
            }
            existing.close();
        }
        return restore(latest);
    }

    /** Replaces the RocksDB directory with a copy of the snapshot's checkpoint and opens it. */
    private RocksKvStore restore(SnapshotStore.Snapshot snapshot) throws IOException {
        Path restoring = sibling(".restoring");
        Path old = sibling(".old");
        FileUtils.deleteFully(restoring);
        Files.createDirectories(restoring);
        // Copy rather than link: RocksDB rewrites some files of an opened DB, the snapshot must stay intact.
        for (Path f : SnapshotStore.dataFiles(snapshot.dir())) {
            Files.copy(f, restoring.resolve(f.getFileName().toString()));
        }
        if (Files.exists(rocksDir)) {
            Files.move(rocksDir, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(restoring, rocksDir, StandardCopyOption.ATOMIC_MOVE);
        FileUtils.deleteFully(old);
        RocksKvStore restored = RocksKvStore.open(rocksDir);
        if (restored.appliedIndex() > snapshot.termIndex().getIndex()) {
            restored.close();
            throw new IOException("snapshot " + snapshot.dir() + " holds applied index " + restored.appliedIndex()
                    + " beyond its name " + snapshot.termIndex());
        }
        LOG.info("{}: restored state from snapshot {}", this, snapshot.dir());
        return restored;
    }

    private Path sibling(String suffix) {
        return rocksDir.resolveSibling(rocksDir.getFileName() + suffix);
    }

    private void swapStore(RocksKvStore next) {
        storeLock.writeLock().lock();
        try {
            if (store != null) {
                store.close();
            }
            store = next;
        } finally {
            storeLock.writeLock().unlock();
        }
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        long term = entry.getTerm();
        long index = entry.getIndex();
        RocksKvStore s = store;
        if (index <= s.appliedIndex()) {
            // Replay after restart of an entry RocksDB already holds; nobody waits for this reply.
            markApplied(term, index);
            return CompletableFuture.completedFuture(Wire.applyReply(index, new byte[0]));
        }
        byte[] command = entry.getStateMachineLogEntry().getLogData().toByteArray();
        try {
            byte[] result = s.applyAtomically(term, index, kv -> logic.apply(index, command, kv));
            markApplied(term, index);
            return CompletableFuture.completedFuture(Wire.applyReply(index, result));
        } catch (IOException e) {
            // Thrown synchronously on purpose: Ratis then stops this server instead of letting
            // the replica silently skip an entry and diverge.
            throw new UncheckedIOException("cannot apply log index " + index, e);
        } catch (RuntimeException e) {
            markApplied(term, index);
            LOG.warn("{}: replicated logic failed on log index {}; the command made no writes", this, index, e);
            return CompletableFuture.failedFuture(
                    new MetaCommandException("command at log index " + index + " failed: " + e, e));
        }
    }

    private void markApplied(long term, long index) {
        updateLastAppliedTermIndex(term, index);
        signalApplied();
    }

    @Override
    public void notifyTermIndexUpdated(long term, long index) {
        super.notifyTermIndexUpdated(term, index);
        signalApplied();
    }

    private void signalApplied() {
        synchronized (appliedSignal) {
            appliedSignal.notifyAll();
        }
    }

    long appliedIndex() {
        return getLastAppliedTermIndex().getIndex();
    }

    boolean awaitApplied(long index, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (appliedSignal) {
            while (appliedIndex() < index) {
                long remainingMs = (deadline - System.nanoTime()) / 1_000_000;
                if (remainingMs <= 0) {
                    return false;
                }
                appliedSignal.wait(remainingMs);
            }
            return true;
        }
    }

    @Override
    public long takeSnapshot() throws IOException {
        TermIndex ti = getLastAppliedTermIndex();
        if (ti == null || ti.getIndex() < 0) {
            return RaftLog.INVALID_LOG_INDEX;
        }
        SnapshotStore.Snapshot latest = snapshots.latest();
        if (latest != null && latest.termIndex().getIndex() >= ti.getIndex()) {
            return latest.termIndex().getIndex();
        }
        RocksKvStore s = store;
        if (s.appliedIndex() < ti.getIndex()) {
            // The tail was configuration entries: record them so the checkpoint matches its name.
            s.applyAtomically(ti.getTerm(), ti.getIndex(), kv -> null);
        }
        SnapshotStore.Snapshot created = snapshots.create(ti, s::checkpoint);
        LOG.info("{}: took snapshot {}", this, created.dir());
        return ti.getIndex();
    }

    @Override
    public void pause() {
        getLifeCycle().transition(LifeCycle.State.PAUSING);
        getLifeCycle().transition(LifeCycle.State.PAUSED);
    }

    /** Called by Ratis after it installed a snapshot from the leader into the state machine dir. */
    @Override
    public void reinitialize() throws IOException {
        snapshots.reload();
        SnapshotStore.Snapshot latest = snapshots.latest();
        if (latest == null) {
            throw new IOException("reinitialize: no snapshot found after installation");
        }
        storeLock.writeLock().lock();
        try {
            if (store != null) {
                store.close();
                store = null;
            }
            store = restore(latest);
        } finally {
            storeLock.writeLock().unlock();
        }
        setLastAppliedTermIndex(latest.termIndex());
        signalApplied();
        if (getLifeCycleState() == LifeCycle.State.PAUSED) {
            getLifeCycle().transition(LifeCycle.State.STARTING);
            getLifeCycle().transition(LifeCycle.State.RUNNING);
        }
    }

    @Override
    public CompletableFuture<Message> query(Message request) {
        try {
            Wire.Query q = Wire.parseQuery(request.getContent());
            KvReader r = reader();
            return CompletableFuture.completedFuture(switch (q) {
                case Wire.Get g -> Wire.getReply(r.get(g.key()));
                case Wire.Prefix p -> Wire.scanReply(r.scan(p.prefix()));
                case Wire.Range range -> Wire.rangeReply(r.range(range.from(), range.toExclusive(), range.limit()));
            });
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The local applied state; reads never see a store that is being replaced or closed. */
    KvReader reader() {
        return new KvReader() {
            @Override
            public Optional<byte[]> get(String key) {
                return read(s -> s.get(key));
            }

            @Override
            public SortedMap<String, byte[]> scan(String prefix) {
                return read(s -> s.scan(prefix));
            }

            @Override
            public List<Map.Entry<String, byte[]>> range(String from, String toExclusive, int limit) {
                return read(s -> s.range(from, toExclusive, limit));
            }
        };
    }

    private <T> T read(Function<RocksKvStore, T> fn) {
        storeLock.readLock().lock();
        try {
            if (store == null) {
                throw new IllegalStateException("metadata state is not open");
            }
            return fn.apply(store);
        } finally {
            storeLock.readLock().unlock();
        }
    }

    @Override
    public void close() {
        swapStore(null);
    }
}
