package io.keel.storage.chunk;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.StampedLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One chunk's in-memory state and files. Reads share {@link #lock}; writes, metadata changes,
 * deletion and closing of its files take it exclusively. Each chunk has its own lock so that
 * operations on different chunks never wait for each other.
 */
final class Chunk {
    private static final Logger log = LoggerFactory.getLogger(Chunk.class);

    /** The chunk's two open files: data, and the checksum sidecar. */
    record Files(FileChannel data, FileChannel crc) {
        static Files open(Path data, Path crc) throws IOException {
            FileChannel d = FileChannel.open(data, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            try {
                return new Files(d, FileChannel.open(crc, StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE));
            } catch (IOException | RuntimeException e) {
                d.close();
                throw e;
            }
        }

        boolean isOpen() {
            return data.isOpen() && crc.isOpen();
        }

        /** fdatasync both files; file growth is included, which is all a reader needs. */
        void force() throws IOException {
            data.force(false);
            crc.force(false);
        }

        void closeQuietly() {
            for (FileChannel ch : new FileChannel[] {data, crc}) {
                try {
                    ch.close();
                } catch (IOException e) {
                    log.debug("closing chunk file failed", e);
                }
            }
        }
    }

    final ChunkId id;
    final Path dataPath;
    final Path crcPath;
    final Path metaPath;
    /**
     * Stamped, not reentrant: a ReentrantReadWriteLock keeps each reader's hold count in a thread
     * local, and reads arrive on short-lived virtual threads, so every read built a thread-local
     * map. Nothing locks a chunk twice (eviction only tries other chunks' locks).
     */
    final ReadWriteLock lock = new StampedLock().asReadWriteLock();
    /** Forces running outside the lock; while positive the files must not be closed by eviction. */
    final AtomicInteger pins = new AtomicInteger();
    /** Set by non-durable writes; cleared by the flush that makes them durable. */
    final AtomicBoolean dirty = new AtomicBoolean();
    volatile long lastUsedNanos = System.nanoTime();

    private final LongAdder checksumErrors;
    private final Consumer<Chunk> onOpen;
    private final Set<Integer> reportedBadBlocks = ConcurrentHashMap.newKeySet();
    private volatile ChunkMeta meta;
    /** Written only under the exclusive lock; volatile so stat and list need no lock. */
    private volatile int allocatedBlocks;
    /** Guarded by the exclusive lock for writing; read under either lock. */
    private boolean deleted;
    /** Set when an fsync failed: the kernel may have dropped the dirty pages, so nothing can be trusted. */
    private volatile IOException fsyncFailure;
    private Files files; // guarded by this

    Chunk(ChunkId id, Path dir, ChunkMeta meta, int allocatedBlocks, LongAdder checksumErrors,
            Consumer<Chunk> onOpen) {
        this.id = id;
        String stem = id.fileName();
        this.dataPath = dir.resolve(stem + ".data");
        this.crcPath = dir.resolve(stem + ".crc");
        this.metaPath = dir.resolve(stem + ".meta");
        this.meta = meta;
        this.allocatedBlocks = allocatedBlocks;
        this.checksumErrors = checksumErrors;
        this.onOpen = onOpen;
    }

    ChunkMeta meta() {
        return meta;
    }

    int allocatedBlocks() {
        return allocatedBlocks;
    }

    void addAllocatedBlocks(int delta) {
        allocatedBlocks += delta; // under the exclusive lock
    }

    ChunkInfo info() {
        ChunkMeta m = meta;
        return new ChunkInfo(id, m.version(), m.epoch(), (long) allocatedBlocks * ChunkStoreOptions.BLOCK_SIZE);
    }

    boolean isDeleted() {
        return deleted;
    }

    void markDeleted() {
        deleted = true;
    }

    /** Throws if an earlier fsync of this chunk failed. */
    void checkHealthy() {
        IOException failure = fsyncFailure;
        if (failure != null) {
            throw new ChunkIOException("chunk " + id + " failed an fsync earlier (" + failure.getMessage()
                    + "); its data can no longer be trusted and it must be re-replicated", failure);
        }
    }

    void recordFsyncFailure(IOException e) {
        fsyncFailure = e;
    }

    /** The open files, opening them first if needed. Call with the lock held (either mode). */
    Files files() throws IOException {
        lastUsedNanos = System.nanoTime();
        Files f;
        synchronized (this) {
            f = files;
            if (f != null && f.isOpen()) {
                return f;
            }
            // A channel can be closed under us by an interrupted thread; reopen rather than fail forever.
            if (f != null) {
                f.closeQuietly();
            }
            f = Files.open(dataPath, crcPath);
            files = f;
        }
        onOpen.accept(this);
        return f;
    }

    /** Closes the files if open. Call with the exclusive lock held. */
    synchronized boolean closeFiles() {
        if (files == null) {
            return false;
        }
        files.closeQuietly();
        files = null;
        return true;
    }

    /** Atomically replaces the metadata on disk, then in memory. Call with the exclusive lock held. */
    void persistMeta(ChunkMeta m) throws IOException {
        StoreFiles.writeAtomically(metaPath, m.encode());
        meta = m;
    }

    /** Removes whatever files a failed create left. */
    void deleteFilesQuietly() {
        for (Path p : List.of(metaPath, dataPath, crcPath)) {
            try {
                java.nio.file.Files.deleteIfExists(p);
            } catch (IOException e) {
                log.warn("cannot remove {} after a failed create: {}", p, e.toString());
            }
        }
    }

    /**
     * Counts a detected bad block and builds the exception. Logs once per bad block (until it is
     * rewritten) so that a VM retrying a read does not flood the log.
     */
    ChecksumMismatchException checksumMismatch(int block, int expected, int actual) {
        checksumErrors.increment();
        ChecksumMismatchException e = new ChecksumMismatchException(id, block, expected, actual);
        if (reportedBadBlocks.add(block)) {
            log.warn("{}", e.getMessage());
        }
        return e;
    }

    /** Blocks first..last were rewritten whole: a later corruption there is news again. */
    void blocksRewritten(int first, int last) {
        if (!reportedBadBlocks.isEmpty()) {
            reportedBadBlocks.removeIf(b -> b >= first && b <= last);
        }
    }

    @Override
    public String toString() {
        return "chunk " + id;
    }
}
