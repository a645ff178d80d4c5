package io.keel.storage.chunk;

/**
 * Counters of one {@link ChunkStore} since it was opened, for the node's per-disk metrics. Counts
 * are of operations that succeeded; failed ones show up only as the error counters.
 *
 * @param reads          read calls
 * @param bytesRead      bytes returned by them
 * @param writes         write calls with data (empty, epoch-only writes are not counted)
 * @param bytesWritten   bytes written by them
 * @param trims          trim calls with a non-empty range
 * @param bytesTrimmed   bytes of the ranges they covered
 * @param checksumErrors checksum mismatches detected by reads, partial writes, trims and scrubs
 * @param scrubErrors    bad blocks found by scrubs (also counted in {@code checksumErrors})
 */
public record ChunkStoreStats(long reads, long bytesRead, long writes, long bytesWritten, long trims,
        long bytesTrimmed, long checksumErrors, long scrubErrors) {
    public ChunkStoreStats {
        if (reads < 0 || bytesRead < 0 || writes < 0 || bytesWritten < 0 || trims < 0 || bytesTrimmed < 0
                || checksumErrors < 0 || scrubErrors < 0) {
            throw new IllegalArgumentException("negative counter in " + reads + "/" + bytesRead + "/" + writes + "/"
                    + bytesWritten + "/" + trims + "/" + bytesTrimmed + "/" + checksumErrors + "/" + scrubErrors);
        }
    }
}
