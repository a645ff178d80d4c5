package io.keel.storage.chunk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.zip.CRC32C;

/**
 * The store-level files under a disk's root and the atomic-replace primitive they and the chunk
 * metadata use.
 *
 * <pre>
 * root/
 *   keel-chunkstore      format, chunk size and block size (text), written once
 *   lock                 held with an OS file lock while a ChunkStore has the disk open
 *   allocation-summary   per-chunk allocated block counts, present only after a clean close
 *   chunks/              &lt;volume&gt;_&lt;index hex&gt;.{meta,data,crc}
 *   quarantine/          chunks whose metadata was unreadable, moved aside for inspection
 * </pre>
 */
final class StoreFiles {
    static final String FORMAT_FILE = "keel-chunkstore";
    static final String LOCK_FILE = "lock";
    static final String SUMMARY_FILE = "allocation-summary";
    static final String CHUNKS_DIR = "chunks";
    static final String QUARANTINE_DIR = "quarantine";
    static final String TMP_SUFFIX = ".tmp";
    private static final int FORMAT_VERSION = 1;
    private static final int SUMMARY_MAGIC = 0x4B435331;

    private StoreFiles() {}

    /**
     * Replaces {@code target} with {@code content}: write a temporary file, fsync it, rename it
     * over the target, fsync the directory. Readers and crashes see the old or the new content.
     */
    static void writeAtomically(Path target, ByteBuffer content) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + TMP_SUFFIX);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (content.hasRemaining()) {
                ch.write(content);
            }
            ch.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        fsyncDirectory(target.getParent());
    }

    /** Makes creations, renames and deletions of entries in {@code dir} durable. */
    static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /**
     * Checks the store's format file against the options, creating it on first open. A chunk
     * size cannot change once chunks exist, because chunk files and the wire limits depend on it.
     */
    static void checkFormat(Path root, int chunkSize) throws IOException {
        Path file = root.resolve(FORMAT_FILE);
        if (!Files.exists(file)) {
            String text = "format=" + FORMAT_VERSION + "\nchunkSize=" + chunkSize + "\nblockSize="
                    + ChunkStoreOptions.BLOCK_SIZE + "\n";
            writeAtomically(file, ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)));
            return;
        }
        Properties p = new Properties();
        try (var in = Files.newInputStream(file)) {
            p.load(in);
        }
        String format = p.getProperty("format");
        String size = p.getProperty("chunkSize");
        String block = p.getProperty("blockSize");
        if (!String.valueOf(FORMAT_VERSION).equals(format)) {
            throw new InvalidRequestException("chunk store at " + root + " has unsupported format " + format);
        }
        if (!String.valueOf(ChunkStoreOptions.BLOCK_SIZE).equals(block)) {
            throw new InvalidRequestException("chunk store at " + root + " has block size " + block);
        }
        if (!String.valueOf(chunkSize).equals(size)) {
            throw new InvalidRequestException("chunk store at " + root + " was created with chunkSize " + size
                    + ", cannot open it with chunkSize " + chunkSize);
        }
    }

    /**
     * Reads and removes the allocation summary. Removing it (durably) before the store accepts
     * writes is what makes it trustworthy: a summary only ever exists for a cleanly closed store.
     * Empty if absent or damaged, in which case the caller recounts from the checksum files.
     */
    static Optional<Map<String, Integer>> takeSummary(Path root) throws IOException {
        Path file = root.resolve(SUMMARY_FILE);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        Files.delete(file);
        fsyncDirectory(root);
        return parseSummary(bytes);
    }

    private static Optional<Map<String, Integer>> parseSummary(byte[] bytes) {
        if (bytes.length < 12) {
            return Optional.empty();
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        ByteBuffer b = ByteBuffer.wrap(bytes);
        if (b.getInt(0) != SUMMARY_MAGIC || b.getInt(bytes.length - 4) != (int) crc.getValue()) {
            return Optional.empty();
        }
        b.position(4).limit(bytes.length - 4);
        int count = b.getInt();
        Map<String, Integer> result = new HashMap<>();
        try {
            for (int i = 0; i < count; i++) {
                byte[] name = new byte[b.get() & 0xFF];
                b.get(name);
                result.put(new String(name, StandardCharsets.US_ASCII), b.getInt());
            }
        } catch (RuntimeException e) { // a summary is an optimisation: if odd, recount
            return Optional.empty();
        }
        return b.hasRemaining() ? Optional.empty() : Optional.of(result);
    }

    /** Writes the allocation summary at clean close. */
    static void writeSummary(Path root, Map<String, Integer> allocatedBlocks) throws IOException {
        int size = 8 + 4;
        for (String name : allocatedBlocks.keySet()) {
            size += 1 + name.length() + 4;
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.putInt(SUMMARY_MAGIC).putInt(allocatedBlocks.size());
        allocatedBlocks.forEach((name, blocks) -> b.put((byte) name.length())
                .put(name.getBytes(StandardCharsets.US_ASCII)).putInt(blocks));
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        writeAtomically(root.resolve(SUMMARY_FILE), b.flip());
    }
}
