package io.keel.storage.chunk;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds a disk's chunks at open, and clears away what interrupted operations left: temporary
 * files of atomic replaces, and data without metadata (a create that died before its metadata
 * was renamed into place, or a delete that died after removing it). At a clean close it records
 * the allocation summary that lets the next open skip recounting.
 */
final class StoreLoader {
    private static final Logger log = LoggerFactory.getLogger(StoreLoader.class);

    /** Builds a chunk's state; with null metadata, only its file paths are used. */
    interface ChunkFactory {
        Chunk create(ChunkId id, ChunkMeta meta, int allocatedBlocks);
    }

    private StoreLoader() {}

    /**
     * @param summary allocated-block counts by file stem from a clean close, or null to count
     *                them from each sidecar
     */
    static List<Chunk> load(Path root, Map<String, Integer> summary, int blocksPerChunk, ChunkFactory factory)
            throws IOException {
        Path chunksDir = root.resolve(StoreFiles.CHUNKS_DIR);
        Map<String, Set<String>> byStem = new HashMap<>();
        try (var entries = Files.list(chunksDir)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                String name = p.getFileName().toString();
                int dot = name.indexOf('.');
                if (name.endsWith(StoreFiles.TMP_SUFFIX)) {
                    Files.deleteIfExists(p);
                } else if (dot > 0) {
                    byStem.computeIfAbsent(name.substring(0, dot), k -> new HashSet<>()).add(name.substring(dot + 1));
                } else {
                    log.warn("ignoring unexpected file {} in {}", name, chunksDir);
                }
            }
        }
        List<Chunk> loaded = new ArrayList<>();
        for (var e : byStem.entrySet()) {
            Optional<ChunkId> id = ChunkId.fromFileName(e.getKey());
            if (id.isEmpty()) {
                log.warn("ignoring unexpected files {}.{} in {}", e.getKey(), e.getValue(), chunksDir);
                continue;
            }
            Chunk paths = factory.create(id.get(), null, 0);
            if (!e.getValue().contains("meta")) {
                Files.deleteIfExists(paths.dataPath);
                Files.deleteIfExists(paths.crcPath);
                continue;
            }
            ChunkMeta meta;
            try {
                meta = ChunkMeta.decode(Files.readAllBytes(paths.metaPath));
            } catch (ChunkMeta.CorruptMetaException ex) {
                quarantine(root, paths, ex.getMessage());
                continue;
            }
            Integer allocated = summary == null ? null : summary.get(e.getKey());
            if (allocated == null) {
                allocated = countAllocated(paths.crcPath, blocksPerChunk);
            }
            loaded.add(factory.create(id.get(), meta, allocated));
        }
        return loaded;
    }

    /**
     * Flushes and closes every chunk, each under its exclusive lock, and writes the allocation
     * summary if all of them flushed: a chunk that failed to flush may have counts the disk
     * does not match, so the next open must recount.
     */
    static void unload(Path root, Collection<Chunk> chunks) {
        Map<String, Integer> summary = new HashMap<>();
        boolean clean = true;
        for (Chunk c : chunks) {
            c.lock.writeLock().lock();
            try {
                if (c.dirty.get()) {
                    c.files().force();
                }
                c.closeFiles();
                summary.put(c.id.fileName(), c.allocatedBlocks());
            } catch (IOException e) {
                clean = false;
                log.error("flushing chunk {} at close failed", c.id, e);
                c.closeFiles();
            } finally {
                c.lock.writeLock().unlock();
            }
        }
        try {
            if (clean) {
                StoreFiles.writeSummary(root, summary);
            }
        } catch (IOException e) {
            log.warn("cannot write allocation summary of {}; next open recounts: {}", root, e.toString());
        }
    }

    private static int countAllocated(Path crcPath, int blocksPerChunk) throws IOException {
        if (!Files.exists(crcPath)) {
            return 0;
        }
        try (FileChannel ch = FileChannel.open(crcPath, StandardOpenOption.READ)) {
            return BlockIo.countAllocated(ch, blocksPerChunk);
        }
    }

    /** Keeps a chunk with unreadable metadata out of service but on disk, for inspection. */
    private static void quarantine(Path root, Chunk c, String why) throws IOException {
        Path q = Files.createDirectories(root.resolve(StoreFiles.QUARANTINE_DIR));
        for (Path p : List.of(c.metaPath, c.dataPath, c.crcPath)) {
            if (Files.exists(p)) {
                Files.move(p, q.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        log.error("chunk {} has unreadable metadata ({}); moved its files to {}", c.id, why, q);
    }
}
