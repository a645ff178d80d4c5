package io.keel.storage.chunk;

import java.util.concurrent.atomic.LongAdder;

/** The store's operation counters; LongAdders because every I/O thread bumps them. */
final class StoreCounters {
    private final LongAdder reads = new LongAdder();
    private final LongAdder bytesRead = new LongAdder();
    private final LongAdder writes = new LongAdder();
    private final LongAdder bytesWritten = new LongAdder();
    private final LongAdder trims = new LongAdder();
    private final LongAdder bytesTrimmed = new LongAdder();
    /** Shared with every chunk, which counts the mismatches it detects. */
    final LongAdder checksumErrors = new LongAdder();
    private final LongAdder scrubErrors = new LongAdder();

    void read(long bytes) {
        reads.increment();
        bytesRead.add(bytes);
    }

    void wrote(long bytes) {
        writes.increment();
        bytesWritten.add(bytes);
    }

    void trimmed(long bytes) {
        trims.increment();
        bytesTrimmed.add(bytes);
    }

    void scrubFound(int badBlocks) {
        scrubErrors.add(badBlocks);
    }

    ChunkStoreStats snapshot() {
        return new ChunkStoreStats(reads.sum(), bytesRead.sum(), writes.sum(), bytesWritten.sum(), trims.sum(),
                bytesTrimmed.sum(), checksumErrors.sum(), scrubErrors.sum());
    }
}
