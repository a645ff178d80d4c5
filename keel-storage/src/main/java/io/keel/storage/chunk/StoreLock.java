package io.keel.storage.chunk;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OS file lock on a store's root that keeps a second store, in this process or another, from
 * opening the same disk: two stores would each trust their own in-memory allocation counts and
 * chunk locks, and interleave writes unchecked.
 */
final class StoreLock implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StoreLock.class);

    private final Path root;
    private final FileChannel channel;
    private final FileLock lock;

    private StoreLock(Path root, FileChannel channel, FileLock lock) {
        this.root = root;
        this.channel = channel;
        this.lock = lock;
    }

    /** @throws ChunkIOException if another store holds the lock */
    static StoreLock acquire(Path root) throws IOException {
        FileChannel ch = FileChannel.open(root.resolve(StoreFiles.LOCK_FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock = null;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            // held by another ChunkStore in this JVM; reported below like a foreign holder
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        if (lock == null) {
            ch.close();
            throw new ChunkIOException("chunk store at " + root + " is already open");
        }
        return new StoreLock(root, ch, lock);
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            log.warn("releasing lock of {} failed", root, e);
        }
    }
}
