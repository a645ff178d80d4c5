/**
 * Chunk storage on one disk: {@link io.keel.storage.chunk.ChunkStore}.
 *
 * <h2>On-disk layout</h2>
 * <pre>
 * root/
 *   keel-chunkstore            text: format=1, chunkSize, blockSize=4096 (fixed at first open)
 *   lock                       OS file lock held while a store has the disk open
 *   allocation-summary         per-chunk written-block counts; exists only after a clean close
 *                              and is deleted (durably) at open, before any write
 *   chunks/&lt;vol&gt;_&lt;index as 16 hex&gt;.meta   28 bytes: magic, flags (checksummed), version,
 *                                           epoch, CRC32C; replaced only by write-tmp + fsync +
 *                                           rename + fsync(dir)
 *   chunks/&lt;...&gt;.data         sparse; block i at offset 4096*i; never-written blocks are holes
 *   chunks/&lt;...&gt;.crc          sparse; 8-byte entry per block at 8*i: CRC32C, tag
 *   quarantine/                chunks whose .meta failed its own CRC, moved aside at open
 * </pre>
 *
 * An all-zero sidecar entry means "never written": the block reads as zeros without touching
 * the data file, and costs no space. A written entry's tag is {@code crc ^ 0x4B45454C}, so a
 * written entry is never all zeros, and damage to either half is detected. Chunks created with
 * checksums off store tag {@code 0xFFFFFFFF} and are not verified.
 *
 * <h2>Write order and what a crash can leave</h2>
 * A write (under the chunk's exclusive lock): read the sidecar entries of the touched blocks;
 * check free space; read and verify the partial blocks at either end and merge the new bytes
 * into them; if the epoch is newer, make the new epoch durable (atomic metadata replace); write
 * the data; write the sidecar entries; if {@code durable}, fdatasync data and sidecar before
 * returning. Version and epoch changes are always durable before the call returns.
 * <ul>
 *   <li>{@code kill -9} (the page cache survives): whatever pwrite calls had completed are kept.
 *       Between the data and the sidecar write, a block that held data now fails its CRC (new
 *       data, old checksum) and is reported by read and scrub, to be repaired from a replica; a
 *       block that was a hole stays a hole (the unacknowledged write is simply lost).</li>
 *   <li>Power loss: unsynced data and sidecar pages may persist in any combination, and a 4 KiB
 *       block may tear at sector granularity. Every combination other than "both old" or "both
 *       new" fails the block's CRC; the sidecar entry is 8 bytes, aligned, so it never tears.</li>
 *   <li>Metadata is the old or the new record, never a mix. A create that dies leaves data and
 *       sidecar files without metadata, and a delete removes the metadata first, so at open such
 *       files are garbage and are removed; temporary files are removed too.</li>
 *   <li>Never: a block reported good whose contents are wrong (short of a CRC32C collision,
 *       2<sup>-32</sup> per damaged block). A partial write never re-checksums a block that
 *       already fails its checksum; it is refused with {@code ChecksumMismatchException}.</li>
 *   <li>After an fsync error the chunk refuses all I/O (the kernel may have dropped the dirty
 *       pages, so a later fsync could falsely succeed); it must be deleted and re-replicated.</li>
 * </ul>
 * Allocation counts are rebuilt from the sidecars after an unclean shutdown (no summary).
 *
 * <h2>Trim</h2>
 * Under the exclusive lock: verify and zero-merge the partial blocks at either end (a partial
 * block that fails its CRC refuses the trim before anything changes; one that is a hole is left
 * alone); make a newer epoch durable; write the merged edge blocks like a write; zero the sidecar
 * entries of the written whole blocks; then punch their data out with
 * {@code fallocate(PUNCH_HOLE)} where the filesystem can (otherwise the bytes stay, unread). The
 * sidecar goes first so that after {@code kill -9} a block whose data is gone is always a hole.
 * After power loss before the next flush, a trimmed block may come back as it was, as a hole, or
 * failing its CRC (punched data, old entry), like any unsynced write.
 */
package io.keel.storage.chunk;
