package io.keel.block;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Every regular file directly inside a directory is an export named after the file, backed by a
 * {@link FileBlockDevice}. For tests and benchmarks; names are checked so that a client can never
 * reach outside the directory.
 */
public final class DirectoryExports implements BlockExports {
    private final Path dir;
    private final Set<String> readOnly;

    public DirectoryExports(Path dir) {
        this(dir, Set.of());
    }

    /** Exports named in {@code readOnly} are always opened read-only, whatever the client asks. */
    public DirectoryExports(Path dir, Set<String> readOnly) {
        this.dir = Objects.requireNonNull(dir, "dir").toAbsolutePath().normalize();
        this.readOnly = Set.copyOf(Objects.requireNonNull(readOnly, "readOnly"));
    }

    @Override
    public Optional<BlockDevice> open(String exportName, boolean writeAccess) throws BlockIoException {
        Objects.requireNonNull(exportName, "exportName");
        Optional<Path> file = resolve(exportName);
        if (file.isEmpty()) {
            return Optional.empty();
        }
        boolean writable = writeAccess && !readOnly.contains(exportName) && Files.isWritable(file.get());
        return Optional.of(FileBlockDevice.open(file.get(), writable));
    }

    /** From the file's attributes alone: nothing is opened. */
    @Override
    public Optional<ExportInfo> info(String exportName, boolean writeAccess) throws BlockIoException {
        Objects.requireNonNull(exportName, "exportName");
        Optional<Path> file = resolve(exportName);
        if (file.isEmpty()) {
            return Optional.empty();
        }
        boolean writable = writeAccess && !readOnly.contains(exportName) && Files.isWritable(file.get());
        try {
            // Block size and multi-conn safety are FileBlockDevice's, which every handle here is.
            return Optional.of(new ExportInfo(Files.size(file.get()), FileBlockDevice.DEFAULT_BLOCK_SIZE, !writable,
                    true));
        } catch (IOException e) {
            throw new BlockIoException(BlockIoException.Kind.EIO, "cannot read " + file.get() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> list() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .map(p -> p.getFileName().toString())
                    .filter(DirectoryExports::validName)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    @Override
    public Optional<String> description(String exportName) {
        Objects.requireNonNull(exportName, "exportName");
        return resolve(exportName).map(p -> {
            try {
                return "file " + p.getFileName() + ", " + Files.size(p) + " bytes"
                        + (readOnly.contains(exportName) ? ", read-only" : "");
            } catch (IOException e) {
                return "file " + p.getFileName();
            }
        });
    }

    private Optional<Path> resolve(String name) {
        if (!validName(name)) {
            return Optional.empty();
        }
        Path p = dir.resolve(name).normalize();
        if (!dir.equals(p.getParent()) || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        return Optional.of(p);
    }

    private static boolean validName(String name) {
        return !name.isEmpty() && !name.equals(".") && !name.equals("..")
                && name.indexOf('/') < 0 && name.indexOf('\\') < 0 && name.indexOf('\0') < 0;
    }
}
