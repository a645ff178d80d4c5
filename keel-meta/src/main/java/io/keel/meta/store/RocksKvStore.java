package io.keel.meta.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.stream.Stream;
import org.rocksdb.Checkpoint;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteBatchWithIndex;
import org.rocksdb.WriteOptions;

/**
 * RocksDB-backed store: applied state + applied index; atomic batches; checkpoints.
 *
 * <p>User keys live under a one-byte prefix so the applied index/term marker can share the
 * default column family without ever showing up in {@link #scan}; a single column family keeps
 * checkpoints and reopening trivial.
 *
 * <p>Writes are not fsynced: the Raft log is the durable record. After a crash RocksDB recovers a
 * consistent prefix of its write-ahead log, and because the applied index is written in the same
 * batch as the data, the Raft layer simply re-applies whatever was lost.
 *
 * <p>Thread safety: reads may run concurrently with {@link #applyAtomically}; {@link #close} waits
 * for running reads, and any call after close fails with {@link IllegalStateException} instead of
 * touching a freed native handle.
 */
public final class RocksKvStore implements KvReader, AutoCloseable {
    static {
        RocksDB.loadLibrary();
    }

    private static final byte DATA_PREFIX = 'd';
    private static final byte[] APPLIED_KEY = "m/applied".getBytes(StandardCharsets.UTF_8);
    /** Applied index of a store to which nothing has been applied yet. */
    public static final long NONE_APPLIED = -1;

    private final Path dir;
    private final Options options;
    private final WriteOptions writeOptions;
    private final RocksDB db;
    // Guards the native handles: reads share it, close() takes it exclusively.
    private final ReentrantReadWriteLock handleLock = new ReentrantReadWriteLock();
    private boolean closed;
    private volatile long appliedIndex;
    private volatile long appliedTerm;

    private RocksKvStore(Path dir, Options options, WriteOptions writeOptions, RocksDB db, long term, long index) {
        this.dir = dir;
        this.options = options;
        this.writeOptions = writeOptions;
        this.db = db;
        this.appliedTerm = term;
        this.appliedIndex = index;
    }

    /**
     * Opens (creating if missing) the store in {@code dir}.
     *
     * @throws IOException if {@code dir} is not a directory, holds files that are not a RocksDB
     *     database, or the database cannot be opened (corruption, lock held by another process)
     */
    public static RocksKvStore open(Path dir) throws IOException {
        Objects.requireNonNull(dir, "dir");
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IOException("RocksDB state path " + dir + " exists but is not a directory");
        }
        Files.createDirectories(dir);
        if (!Files.exists(dir.resolve("CURRENT")) && !isEmpty(dir)) {
            // Refuse to let RocksDB "create if missing" on top of something we do not recognise.
            throw new IOException("Directory " + dir + " is not empty but holds no RocksDB database"
                    + " (no CURRENT file); the state is corrupted or the path is wrong");
        }
        Options options = new Options().setCreateIfMissing(true);
        WriteOptions writeOptions = new WriteOptions().setSync(false);
        RocksDB db = null;
        try {
            db = RocksDB.open(options, dir.toAbsolutePath().toString());
            byte[] marker = db.get(APPLIED_KEY);
            long term = 0;
            long index = NONE_APPLIED;
            if (marker != null) {
                if (marker.length != 16) {
                    throw new IOException("RocksDB state at " + dir + " is corrupted: applied-index marker has "
                            + marker.length + " bytes, expected 16");
                }
                ByteBuffer buf = ByteBuffer.wrap(marker);
                term = buf.getLong();
                index = buf.getLong();
            }
            return new RocksKvStore(dir, options, writeOptions, db, term, index);
        } catch (RocksDBException | IOException | RuntimeException e) {
            if (db != null) {
                db.close();
            }
            writeOptions.close();
            options.close();
            if (e instanceof IOException io) {
                throw io;
            }
            throw new IOException("Cannot open RocksDB state at " + dir + ": " + e.getMessage(), e);
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    @Override
    public Optional<byte[]> get(String key) {
        Objects.requireNonNull(key, "key");
        return withHandle(() -> Optional.ofNullable(db.get(dataKey(key))));
    }

    @Override
    public SortedMap<String, byte[]> scan(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        return withHandle(() -> {
            try (RocksIterator it = db.newIterator()) {
                return collect(it, dataKey(prefix));
            }
        });
    }

    /**
     * Bounded range read: seeks to {@code from} and stops at {@code toExclusive} or after {@code limit}
     * entries, so it costs the entries returned (plus tombstones in between), not the store's size.
     * RocksDB's default comparator is bytewise, so the order is UTF-8 byte order.
     */
    @Override
    public List<Map.Entry<String, byte[]>> range(String from, String toExclusive, int limit) {
        KvReader.checkRange(from, limit);
        byte[] start = dataKey(Utf8Keys.encode(from));
        byte[] end = rangeEnd(toExclusive);
        return withHandle(() -> {
            // The upper bound lets RocksDB stop at the end instead of stepping over tombstones past it.
            try (Slice bound = new Slice(end);
                    ReadOptions ro = new ReadOptions().setIterateUpperBound(bound);
                    RocksIterator it = db.newIterator(ro)) {
                return collectRange(it, start, end, limit);
            }
        });
    }

    /** The first internal key past the range: the bound's data key, or past every data key. */
    private static byte[] rangeEnd(String toExclusive) {
        return toExclusive == null ? new byte[] {DATA_PREFIX + 1} : dataKey(Utf8Keys.encode(toExclusive));
    }

    private static List<Map.Entry<String, byte[]>> collectRange(RocksIterator it, byte[] start, byte[] end, int limit) {
        List<Map.Entry<String, byte[]>> out = new ArrayList<>(Math.min(limit, 256));
        for (it.seek(start); it.isValid() && out.size() < limit; it.next()) {
            byte[] k = it.key();
            if (Arrays.compareUnsigned(k, end) >= 0) {
                break;
            }
            out.add(Map.entry(new String(k, 1, k.length - 1, StandardCharsets.UTF_8), it.value()));
        }
        return List.copyOf(out);
    }

    /**
     * Runs fn against a buffered KvWriter (reads see own writes), then commits the writes together
     * with appliedIndex/term atomically. If fn throws, nothing is written except the applied index,
     * and the exception is rethrown unchanged.
     *
     * @throws IllegalArgumentException if {@code index} is not above the current applied index
     * @throws IOException if RocksDB fails to read or write; the store is then in an unknown state
     *     relative to {@code index} and the caller must stop applying
     */
    public <T> T applyAtomically(long term, long index, Function<KvWriter, T> fn) throws IOException {
        Objects.requireNonNull(fn, "fn");
        handleLock.readLock().lock();
        try {
            checkOpen();
            synchronized (this) {
                if (index <= appliedIndex) {
                    throw new IllegalArgumentException("index " + index + " is not above applied index " + appliedIndex);
                }
                return applyLocked(term, index, fn);
            }
        } finally {
            handleLock.readLock().unlock();
        }
    }

    private <T> T applyLocked(long term, long index, Function<KvWriter, T> fn) throws IOException {
        try (WriteBatchWithIndex batch = new WriteBatchWithIndex(true);
                ReadOptions readOptions = new ReadOptions()) {
            BatchWriter writer = new BatchWriter(batch, readOptions);
            T result;
            try {
                result = fn.apply(writer);
            } catch (RuntimeException e) {
                writer.seal();
                writer.rethrowFault();
                try (WriteBatch onlyMarker = new WriteBatch()) {
                    onlyMarker.put(APPLIED_KEY, marker(term, index));
                    db.write(writeOptions, onlyMarker);
                }
                setApplied(term, index);
                throw e;
            }
            writer.seal();
            // The command may have swallowed a storage fault; its writes cannot be trusted then.
            writer.rethrowFault();
            batch.put(APPLIED_KEY, marker(term, index));
            db.write(writeOptions, batch);
            setApplied(term, index);
            return result;
        } catch (RocksDBException e) {
            throw new IOException("RocksDB write failed at " + dir + " for index " + index + ": " + e.getMessage(), e);
        }
    }

    private void setApplied(long term, long index) {
        appliedTerm = term;
        appliedIndex = index;
    }

    public long appliedIndex() {
        return appliedIndex;
    }

    public long appliedTerm() {
        return appliedTerm;
    }

    /** Writes a RocksDB checkpoint (hard links where possible) to {@code target}, which must not exist. */
    public void checkpoint(Path target) throws IOException {
        Objects.requireNonNull(target, "target");
        if (Files.exists(target)) {
            throw new IOException("Checkpoint target " + target + " already exists");
        }
        Path parent = target.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        handleLock.readLock().lock();
        try {
            checkOpen();
            // Serialise with applyAtomically so a checkpoint never straddles a half-reported apply.
            synchronized (this) {
                try (Checkpoint cp = Checkpoint.create(db)) {
                    cp.createCheckpoint(target.toAbsolutePath().toString());
                } catch (RocksDBException e) {
                    throw new IOException("RocksDB checkpoint of " + dir + " into " + target + " failed: "
                            + e.getMessage(), e);
                }
            }
        } finally {
            handleLock.readLock().unlock();
        }
    }

    @Override
    public void close() {
        handleLock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            db.close();
            writeOptions.close();
            options.close();
        } finally {
            handleLock.writeLock().unlock();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("RocksKvStore at " + dir + " is closed");
        }
    }

    private interface RocksCall<T> {
        T call() throws RocksDBException;
    }

    private <T> T withHandle(RocksCall<T> call) {
        handleLock.readLock().lock();
        try {
            checkOpen();
            return call.call();
        } catch (RocksDBException e) {
            throw storageFault(e);
        } finally {
            handleLock.readLock().unlock();
        }
    }

    private UncheckedIOException storageFault(RocksDBException e) {
        return new UncheckedIOException(new IOException("RocksDB read failed at " + dir + ": " + e.getMessage(), e));
    }

    private static SortedMap<String, byte[]> collect(RocksIterator it, byte[] start) {
        SortedMap<String, byte[]> out = new TreeMap<>(Utf8Keys.ORDER); // the store's order, not UTF-16 order
        for (it.seek(start); it.isValid(); it.next()) {
            byte[] k = it.key();
            if (!startsWith(k, start)) {
                break;
            }
            out.put(new String(k, 1, k.length - 1, StandardCharsets.UTF_8), it.value());
        }
        return out;
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static byte[] dataKey(String key) {
        return dataKey(key.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] dataKey(byte[] utf8) {
        byte[] out = new byte[utf8.length + 1];
        out[0] = DATA_PREFIX;
        System.arraycopy(utf8, 0, out, 1, utf8.length);
        return out;
    }

    private static byte[] marker(long term, long index) {
        return ByteBuffer.allocate(16).putLong(term).putLong(index).array();
    }

    /** The writer handed to one command; unusable once the command returns. */
    private final class BatchWriter implements KvWriter {
        private final WriteBatchWithIndex batch;
        private final ReadOptions readOptions;
        private boolean sealed;
        private IOException fault;

        BatchWriter(WriteBatchWithIndex batch, ReadOptions readOptions) {
            this.batch = batch;
            this.readOptions = readOptions;
        }

        void seal() {
            sealed = true;
        }

        /** A RocksDB failure during the command is a storage fault, never a command rejection. */
        void rethrowFault() throws IOException {
            if (fault != null) {
                throw fault;
            }
        }

        private UncheckedIOException recordFault(RocksDBException e) {
            UncheckedIOException unchecked = storageFault(e);
            if (fault == null) {
                fault = unchecked.getCause();
            }
            return unchecked;
        }

        private void checkUsable() {
            if (sealed) {
                throw new IllegalStateException("KvWriter used after its command finished");
            }
        }

        @Override
        public Optional<byte[]> get(String key) {
            Objects.requireNonNull(key, "key");
            checkUsable();
            try {
                return Optional.ofNullable(batch.getFromBatchAndDB(db, readOptions, dataKey(key)));
            } catch (RocksDBException e) {
                throw recordFault(e);
            }
        }

        @Override
        public SortedMap<String, byte[]> scan(String prefix) {
            Objects.requireNonNull(prefix, "prefix");
            checkUsable();
            // The batch iterator takes ownership of the base iterator; closing both is still safe.
            try (RocksIterator base = db.newIterator(readOptions);
                    RocksIterator merged = batch.newIteratorWithBase(base)) {
                return collect(merged, dataKey(prefix));
            }
        }

        @Override
        public List<Map.Entry<String, byte[]>> range(String from, String toExclusive, int limit) {
            KvReader.checkRange(from, limit);
            checkUsable();
            byte[] end = rangeEnd(toExclusive);
            try (RocksIterator base = db.newIterator(readOptions);
                    RocksIterator merged = batch.newIteratorWithBase(base)) {
                return collectRange(merged, dataKey(Utf8Keys.encode(from)), end, limit);
            }
        }

        @Override
        public void put(String key, byte[] value) {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            checkUsable();
            try {
                batch.put(dataKey(key), value);
            } catch (RocksDBException e) {
                throw recordFault(e);
            }
        }

        @Override
        public void delete(String key) {
            Objects.requireNonNull(key, "key");
            checkUsable();
            try {
                batch.delete(dataKey(key));
            } catch (RocksDBException e) {
                throw recordFault(e);
            }
        }
    }
}
