package io.keel.storage.chunk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chunks of one disk, stored as files under a root directory. See {@link StoreFiles} for the
 * directory layout, {@link ChunkMeta} for the metadata record and {@link BlockIo} for the data
 * and checksum files and what a crash can leave in them.
 *
 * <p>Thread-safe. Each chunk has its own read-write lock; nothing store-wide is locked on the
 * data path. Durable writes and flushes fsync outside the chunk lock so that other I/O to the
 * chunk proceeds meanwhile. Callers must not interrupt threads using the store: an interrupt
 * closes the file channel under every thread using that chunk (it is reopened on next use).
 */
public final class ChunkStore implements ChunkOperations {
    private static final Logger log = LoggerFactory.getLogger(ChunkStore.class);
    private static final int BLOCK = BlockIo.BLOCK;
    /** Space a create needs: the metadata file and the two empty files' inodes, roughly. */
    private static final long CREATE_BYTES = 3L * BLOCK;

    private final Path root;
    private final Path chunksDir;
    private final ChunkStoreOptions options;
    private final SpaceGuard space;
    private final OpenFileLimit openFiles;
    private final StoreLock storeLock;
    private final ConcurrentHashMap<ChunkId, Chunk> chunks = new ConcurrentHashMap<>();
    private final Set<Chunk> dirtyChunks = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.locks.ReentrantLock flushing = new java.util.concurrent.locks.ReentrantLock();
    private final StoreCounters counters = new StoreCounters();
    private final AtomicLong usedBlocks = new AtomicLong();
    private volatile boolean closed;

    private ChunkStore(Path root, ChunkStoreOptions options, StoreLock storeLock) throws IOException {
        this.root = root;
        this.chunksDir = root.resolve(StoreFiles.CHUNKS_DIR);
        this.options = options;
        this.space = new SpaceGuard(root.toString(), Files.getFileStore(root), options.reservedBytes());
        this.openFiles = new OpenFileLimit(options.maxOpenChunks());
        this.storeLock = storeLock;
    }

    /**
     * Opens (creating if needed) the store rooted at {@code root}. Only one store may have a root
     * open at a time, in this process or another.
     *
     * @throws InvalidRequestException if the disk was set up with another chunk size
     * @throws ChunkIOException        if the root is in use or cannot be read
     */
    public static ChunkStore open(Path root, ChunkStoreOptions options) {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(options, "options");
        Path abs = root.toAbsolutePath().normalize();
        try {
            Files.createDirectories(abs.resolve(StoreFiles.CHUNKS_DIR));
            StoreLock lock = StoreLock.acquire(abs);
            try {
                StoreFiles.checkFormat(abs, options.chunkSize());
                ChunkStore store = new ChunkStore(abs, options, lock);
                store.load(StoreFiles.takeSummary(abs).orElse(null));
                return store;
            } catch (IOException | RuntimeException e) {
                lock.close();
                throw e;
            }
        } catch (IOException e) {
            throw new ChunkIOException("cannot open chunk store at " + abs + ": " + e, e);
        }
    }

    private void load(Map<String, Integer> summary) throws IOException {
        for (Chunk c : StoreLoader.load(root, summary, blocksPerChunk(), this::newChunk)) {
            chunks.put(c.id, c);
            usedBlocks.addAndGet(c.allocatedBlocks());
        }
        log.info("opened chunk store {}: {} chunks, {} bytes used", root, chunks.size(), usedBytes());
    }

    private Chunk newChunk(ChunkId id, ChunkMeta meta, int allocatedBlocks) {
        return new Chunk(id, chunksDir, meta, allocatedBlocks, counters.checksumErrors, openFiles::opened);
    }

    public Path root() {
        return root;
    }

    public ChunkStoreOptions options() {
        return options;
    }

    @Override
    public int chunkSize() {
        return options.chunkSize();
    }

    /** Checksum mismatches detected by reads, partial writes, trims and scrubs since open. */
    public long checksumErrors() {
        return counters.checksumErrors.sum();
    }

    /** The store's counters since open; cheap enough to read on every metrics scrape. */
    public ChunkStoreStats stats() {
        return counters.snapshot();
    }

    @Override
    public void create(ChunkId id, long version) {
        Objects.requireNonNull(id, "id");
        requireNonNegative("version", version);
        checkOpen();
        Chunk c = newChunk(id, new ChunkMeta(version, 0, options.checksums()), 0);
        c.lock.writeLock().lock();
        try {
            if (chunks.putIfAbsent(id, c) != null) {
                throw new ChunkExistsException(id);
            }
            boolean created = false;
            SpaceGuard.Reservation reservation = SpaceGuard.Reservation.NONE;
            try {
                reservation = space.reserve(CREATE_BYTES);
                for (Path p : List.of(c.dataPath, c.crcPath)) {
                    Files.newByteChannel(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                            StandardOpenOption.TRUNCATE_EXISTING).close();
                }
                c.persistMeta(c.meta()); // renames into place and fsyncs the directory
                created = true;
            } catch (IOException e) {
                throw io(c, "create", e);
            } finally {
                reservation.close();
                if (!created) {
                    c.markDeleted();
                    chunks.remove(id, c);
                    c.deleteFilesQuietly();
                }
            }
        } finally {
            c.lock.writeLock().unlock();
        }
    }

    @Override
    public void delete(ChunkId id) {
        Chunk c = lookup(id);
        c.lock.writeLock().lock();
        try {
            checkOpen();
            if (c.isDeleted()) {
                throw new ChunkNotFoundException(id);
            }
            // The metadata goes first: once it is gone the chunk is gone, even after a crash.
            Files.deleteIfExists(c.metaPath);
            c.markDeleted();
            chunks.remove(id, c);
            c.closeFiles();
            openFiles.closed(c);
            dirtyChunks.remove(c);
            usedBlocks.addAndGet(-c.allocatedBlocks());
            Files.deleteIfExists(c.dataPath);
            Files.deleteIfExists(c.crcPath);
            StoreFiles.fsyncDirectory(chunksDir);
        } catch (IOException e) {
            throw io(c, "delete", e);
        } finally {
            c.lock.writeLock().unlock();
        }
    }

    @Override
    public Optional<ChunkInfo> stat(ChunkId id) {
        Objects.requireNonNull(id, "id");
        checkOpen();
        return Optional.ofNullable(chunks.get(id)).map(Chunk::info);
    }

    @Override
    public List<ChunkInfo> list() {
        checkOpen();
        return chunks.values().stream().map(Chunk::info).sorted(Comparator.comparing(ChunkInfo::id)).toList();
    }

    @Override
    public void write(ChunkId id, long offset, ByteBuffer data, long version, long epoch, boolean durable) {
        Objects.requireNonNull(data, "data");
        int len = data.remaining();
        checkRange(offset, len);
        requireNonNegative("version", version);
        requireNonNegative("epoch", epoch);
        Chunk c = lookup(id);
        Chunk.Files toForce = null;
        c.lock.writeLock().lock();
        try {
            ChunkMeta m = checkWriter(c, version, epoch);
            Chunk.Files f = c.files();
            BlockIo.PreparedWrite prepared = null;
            SpaceGuard.Reservation reservation = SpaceGuard.Reservation.NONE;
            try {
                if (len > 0) {
                    int first = (int) (offset / BLOCK);
                    var old = BlockIo.Entries.read(f.crc(), first, (int) ((offset + len - 1) / BLOCK) - first + 1);
                    reservation = space.reserve((long) old.holes() * (BLOCK + BlockIo.ENTRY));
                    prepared = BlockIo.prepare(c, f, offset, data, old, m.checksummed());
                }
                // The fence is made durable before any data lands, so that after a crash an older
                // writer cannot slip in where the newer one had already written.
                if (epoch > m.epoch()) {
                    c.persistMeta(m.withEpoch(epoch));
                }
                if (prepared != null) {
                    int allocated = prepared.apply(f);
                    c.addAllocatedBlocks(allocated);
                    usedBlocks.addAndGet(allocated);
                }
            } finally {
                reservation.close();
            }
            if (durable && len > 0) { // an empty write's only change, the epoch, is already durable
                c.pins.incrementAndGet();
                toForce = f;
            } else if (len > 0) {
                markDirty(c);
            }
        } catch (IOException e) {
            throw io(c, "write", e);
        } finally {
            c.lock.writeLock().unlock();
        }
        if (toForce != null) {
            forcePinned(c, toForce);
        }
        data.position(data.limit());
        if (len > 0) {
            counters.wrote(len);
        }
    }

    @Override
    public void trim(ChunkId id, long offset, long length, long version, long epoch) {
        checkRange(offset, length);
        requireNonNegative("version", version);
        requireNonNegative("epoch", epoch);
        Chunk c = lookup(id);
        c.lock.writeLock().lock();
        try {
            ChunkMeta m = checkWriter(c, version, epoch);
            Chunk.Files f = c.files();
            TrimIo.PreparedTrim prepared = length > 0 ? TrimIo.prepare(c, f, offset, length, m.checksummed()) : null;
            if (epoch > m.epoch()) { // durable before any change, as for a write
                c.persistMeta(m.withEpoch(epoch));
            }
            if (prepared != null) {
                markDirty(c);
                prepared.apply(f, freed -> {
                    c.addAllocatedBlocks(-freed);
                    usedBlocks.addAndGet(-freed);
                });
            }
        } catch (IOException e) {
            throw io(c, "trim", e);
        } finally {
            c.lock.writeLock().unlock();
        }
        if (length > 0) {
            counters.trimmed(length);
        }
    }

    @Override
    public List<Extent> extents(ChunkId id) {
        return ChunkScan.extents(this, lookup(id));
    }

    @Override
    public void read(ChunkId id, long offset, ByteBuffer dst) {
        Objects.requireNonNull(dst, "dst");
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("dst is read-only");
        }
        int len = dst.remaining();
        checkRange(offset, len);
        Chunk c = lookup(id);
        c.lock.readLock().lock();
        try {
            checkUsable(c);
            BlockIo.read(c, c.files(), offset, dst, c.meta().checksummed());
        } catch (IOException e) {
            throw io(c, "read", e);
        } finally {
            c.lock.readLock().unlock();
        }
        counters.read(len);
    }

    @Override
    public void setVersion(ChunkId id, long newVersion) {
        requireNonNegative("version", newVersion);
        Chunk c = lookup(id);
        c.lock.writeLock().lock();
        try {
            checkUsable(c);
            ChunkMeta m = c.meta();
            if (newVersion < m.version()) {
                throw new VersionMismatchException(id, m.version(), newVersion);
            }
            if (newVersion != m.version()) {
                c.persistMeta(m.withVersion(newVersion));
            }
        } catch (IOException e) {
            throw io(c, "setVersion", e);
        } finally {
            c.lock.writeLock().unlock();
        }
    }

    @Override
    public void flush() {
        checkOpen();
        // One flush at a time: a chunk another flush already took off the dirty set is still
        // being forced, and a flush that skipped it would acknowledge before its data is on disk.
        flushing.lock();
        try {
            flushDirty();
        } finally {
            flushing.unlock();
        }
    }

    private void flushDirty() {
        ChunkException failure = null;
        for (Chunk c : dirtyChunks) {
            // Clear before forcing: a write that lands after this re-marks the chunk for the next
            // flush, and one that landed before is covered by the force below.
            dirtyChunks.remove(c);
            c.dirty.set(false);
            try {
                Chunk.Files f;
                c.lock.readLock().lock();
                try {
                    if (c.isDeleted()) {
                        continue;
                    }
                    checkUsable(c);
                    f = c.files();
                    c.pins.incrementAndGet();
                } finally {
                    c.lock.readLock().unlock();
                }
                forcePinned(c, f);
            } catch (IOException e) {
                remarkDirty(c);
                failure = failure == null ? io(c, "flush", e) : failure;
            } catch (ChunkException e) {
                remarkDirty(c);
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** A chunk whose force failed stays owed: the next flush must not report it durable. */
    private void remarkDirty(Chunk c) {
        if (!c.isDeleted() && c.dirty.compareAndSet(false, true)) {
            dirtyChunks.add(c);
        }
    }

    @Override
    public List<Integer> scrub(ChunkId id) {
        List<Integer> bad = ChunkScan.scrub(this, lookup(id));
        counters.scrubFound(bad.size());
        return bad;
    }

    @Override
    public long freeBytes() {
        checkOpen();
        try {
            return space.freeBytes();
        } catch (IOException e) {
            throw new ChunkIOException("cannot read free space of " + root + ": " + e, e);
        }
    }

    @Override
    public long usedBytes() {
        checkOpen();
        return usedBlocks.get() * BLOCK;
    }

    /**
     * Flushes dirty chunks, closes every file and records the allocation summary that lets the
     * next open skip recounting. Operations still running may fail with {@link ChunkIOException}.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        StoreLoader.unload(root, chunks.values());
        openFiles.clear();
        storeLock.close();
    }

    /** The chunk's lock; for tests that show other chunks are not held up by it. */
    ReadWriteLock lockOf(ChunkId id) {
        return lookup(id).lock;
    }

    int blocksPerChunk() {
        return options.chunkSize() / BLOCK;
    }

    /** Unpins after forcing; the pin kept eviction from closing the files under the fsync. */
    private void forcePinned(Chunk c, Chunk.Files f) {
        try {
            f.force();
        } catch (ClosedChannelException e) {
            if (c.isDeleted()) {
                throw new ChunkNotFoundException(c.id);
            }
            throw io(c, "fsync", e);
        } catch (IOException e) {
            c.recordFsyncFailure(e);
            throw io(c, "fsync", e);
        } finally {
            c.pins.decrementAndGet();
        }
    }

    private Chunk lookup(ChunkId id) {
        Objects.requireNonNull(id, "id");
        checkOpen();
        Chunk c = chunks.get(id);
        if (c == null) {
            throw new ChunkNotFoundException(id);
        }
        return c;
    }

    /** Under the chunk's lock: the store is open, the chunk still exists and can be trusted. */
    void checkUsable(Chunk c) {
        checkOpen();
        if (c.isDeleted()) {
            throw new ChunkNotFoundException(c.id);
        }
        c.checkHealthy();
    }

    private void checkOpen() {
        if (closed) {
            throw new ChunkIOException("chunk store at " + root + " is closed");
        }
    }

    /**
     * Under the chunk's exclusive lock, the checks every change of data makes: usable, epoch not
     * stale, version current. Returns the metadata they passed against.
     */
    private ChunkMeta checkWriter(Chunk c, long version, long epoch) {
        checkUsable(c);
        ChunkMeta m = c.meta();
        if (epoch < m.epoch()) {
            throw new StaleEpochException(c.id, m.epoch(), epoch);
        }
        if (version != m.version()) {
            throw new VersionMismatchException(c.id, m.version(), version);
        }
        return m;
    }

    private void markDirty(Chunk c) {
        if (c.dirty.compareAndSet(false, true)) {
            dirtyChunks.add(c);
        }
    }

    private void checkRange(long offset, long len) {
        if (offset < 0 || len < 0 || offset > options.chunkSize() - len) {
            throw new InvalidRequestException("range of " + len + " bytes at offset " + offset
                    + " is outside the chunk of " + options.chunkSize() + " bytes");
        }
    }

    private static void requireNonNegative(String what, long v) {
        if (v < 0) {
            throw new InvalidRequestException(what + " must be >= 0: " + v);
        }
    }

    ChunkIOException io(Chunk c, String op, IOException e) {
        if (closed) {
            return new ChunkIOException("chunk store at " + root + " was closed during " + op + " of chunk " + c.id, e);
        }
        return new ChunkIOException(op + " of chunk " + c.id + " in " + root + " failed: " + e, e);
    }
}
