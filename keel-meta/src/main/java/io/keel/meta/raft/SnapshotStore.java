package io.keel.meta.raft;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.stream.Stream;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.SnapshotRetentionPolicy;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.impl.FileListSnapshotInfo;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.util.FileUtils;
import org.apache.ratis.util.MD5FileUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshots as RocksDB checkpoints: each one is a directory {@code sm/snapshot.<term>_<index>/}
 * in the Ratis state machine dir, with a {@code <file>.md5} beside every file.
 *
 * <p>Why not {@link SimpleStateMachineStorage}: it assumes one file per snapshot, while a checkpoint
 * is a directory. We keep its naming and md5 conventions so that Ratis' snapshot installation,
 * which copies the leader's files (relative to the Raft storage root) into the follower's
 * {@code sm/} dir and writes a {@code .md5} beside each, produces exactly the layout we read back.
 *
 * <p>A snapshot is built under a temporary name and renamed into place, so a directory that
 * matches the pattern is always complete.
 */
final class SnapshotStore implements StateMachineStorage {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotStore.class);
    private static final String TMP_PREFIX = "tmp.";

    /** A complete snapshot on disk. */
    record Snapshot(TermIndex termIndex, Path dir, FileListSnapshotInfo info) {
    }

    interface Writer {
        void writeTo(Path dir) throws IOException;
    }

    private volatile Path smDir;
    private final AtomicReference<Snapshot> latest = new AtomicReference<>();

    @Override
    public void init(RaftStorage raftStorage) throws IOException {
        File dir = raftStorage.getStorageDir().getStateMachineDir();
        smDir = dir.toPath();
        Files.createDirectories(smDir);
        try (Stream<Path> entries = Files.list(smDir)) {
            for (Path p : entries.toList()) {
                if (p.getFileName().toString().startsWith(TMP_PREFIX)) {
                    FileUtils.deleteFully(p);
                }
            }
        }
        reload();
    }

    /** Rescans the directory, e.g. after Ratis replaced it with a snapshot from the leader. */
    void reload() throws IOException {
        latest.set(findLatest());
    }

    @Override
    public SnapshotInfo getLatestSnapshot() {
        Snapshot s = latest.get();
        return s == null ? null : s.info();
    }

    Snapshot latest() {
        return latest.get();
    }

    @Override
    public void format() {
        // Nothing to prepare: init() creates the directory.
    }

    /** Builds a snapshot for {@code ti}; {@code writer} fills a fresh directory (e.g. a RocksDB checkpoint). */
    Snapshot create(TermIndex ti, Writer writer) throws IOException {
        Path dir = requireDir();
        String name = SimpleStateMachineStorage.getSnapshotFileName(ti.getTerm(), ti.getIndex());
        Path target = dir.resolve(name);
        if (Files.isDirectory(target)) {
            Snapshot existing = load(target, ti);
            latest.accumulateAndGet(existing, SnapshotStore::newer);
            return existing;
        }
        Path tmp = dir.resolve(TMP_PREFIX + name);
        if (Files.exists(tmp)) {
            FileUtils.deleteFully(tmp);
        }
        writer.writeTo(tmp);
        for (Path f : dataFiles(tmp)) {
            MD5FileUtil.saveMD5File(f.toFile(), MD5FileUtil.computeMd5ForFile(f.toFile()));
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        Snapshot created = load(target, ti);
        latest.accumulateAndGet(created, SnapshotStore::newer);
        return created;
    }

    @Override
    public void cleanupOldSnapshots(SnapshotRetentionPolicy policy) throws IOException {
        int keep = policy == null ? SnapshotRetentionPolicy.DEFAULT_ALL_SNAPSHOTS_RETAINED
                : policy.getNumSnapshotsRetained();
        if (keep <= 0 || smDir == null) {
            return;
        }
        List<Candidate> all = candidates();
        all.sort(Comparator.comparing(Candidate::termIndex).reversed());
        for (Candidate old : all.subList(Math.min(keep, all.size()), all.size())) {
            LOG.info("Deleting old snapshot {}", old.dir());
            FileUtils.deleteFully(old.dir());
        }
    }

    private record Candidate(TermIndex termIndex, Path dir) {
    }

    private Snapshot findLatest() throws IOException {
        List<Candidate> all = candidates();
        all.sort(Comparator.comparing(Candidate::termIndex).reversed());
        for (Candidate c : all) {
            try {
                return load(c.dir(), c.termIndex());
            } catch (IOException e) {
                LOG.warn("Ignoring unreadable snapshot {}", c.dir(), e);
            }
        }
        return null;
    }

    private List<Candidate> candidates() throws IOException {
        List<Candidate> out = new ArrayList<>();
        Path dir = smDir;
        if (dir == null || !Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : entries.toList()) {
                Matcher m = SimpleStateMachineStorage.SNAPSHOT_REGEX.matcher(p.getFileName().toString());
                if (m.matches() && Files.isDirectory(p)) {
                    out.add(new Candidate(TermIndex.valueOf(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))), p));
                }
            }
        }
        return out;
    }

    private static Snapshot load(Path dir, TermIndex ti) throws IOException {
        List<FileInfo> files = new ArrayList<>();
        for (Path f : dataFiles(dir)) {
            MD5Hash md5 = MD5FileUtil.readStoredMd5ForFile(f.toFile());
            if (md5 == null) {
                md5 = MD5FileUtil.computeMd5ForFile(f.toFile());
                MD5FileUtil.saveMD5File(f.toFile(), md5);
            }
            files.add(new FileInfo(f.toAbsolutePath(), md5));
        }
        if (files.isEmpty()) {
            throw new IOException("snapshot directory " + dir + " is empty");
        }
        return new Snapshot(ti, dir, new FileListSnapshotInfo(files, ti));
    }

    /** The snapshot's own files, sorted for a stable transfer order, without the md5 side files. */
    static List<Path> dataFiles(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().endsWith(MD5FileUtil.MD5_SUFFIX))
                    .sorted()
                    .toList();
        }
    }

    private Path requireDir() {
        Path dir = smDir;
        if (dir == null) {
            throw new IllegalStateException("snapshot storage is not initialised");
        }
        return dir;
    }

    private static Snapshot newer(Snapshot a, Snapshot b) {
        if (a == null) {
            return b;
        }
        return b.termIndex().compareTo(a.termIndex()) > 0 ? b : a;
    }
}
