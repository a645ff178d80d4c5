package io.keel.node.inventory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lenient reads of /proc, /sys and /etc files. Every failure becomes "absent": the inventory is
 * best effort and must never keep a node from starting because one kernel file is missing or odd.
 */
final class SysFiles {
    private static final Logger LOG = LoggerFactory.getLogger(SysFiles.class);

    private SysFiles() {}

    /**
     * Decoded leniently (malformed bytes replaced) because model and serial strings come from
     * firmware. A missing file is logged at trace only: most sysfs attributes are optional
     * (wwid, serial, model), so their absence is normal and would drown the debug log.
     */
    static Optional<String> read(Path file) {
        try {
            return Optional.of(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            LOG.trace("inventory: no {}", file);
            return Optional.empty();
        } catch (IOException | UncheckedIOException | SecurityException e) {
            LOG.debug("inventory: cannot read {}: {}", file, e.toString());
            return Optional.empty();
        }
    }

    /** The stripped content, or empty if unreadable or blank. */
    static Optional<String> readTrimmed(Path file) {
        return read(file).map(String::strip).filter(s -> !s.isEmpty());
    }

    static List<String> lines(Path file) {
        return read(file).map(s -> s.lines().toList()).orElse(List.of());
    }

    static OptionalLong readLong(Path file) {
        Optional<String> text = readTrimmed(file);
        if (text.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(text.get()));
        } catch (NumberFormatException e) {
            LOG.debug("inventory: {} is not a number: '{}'", file, text.get());
            return OptionalLong.empty();
        }
    }

    /** Names of the entries of {@code dir}, sorted so the inventory is stable between probes. */
    static List<String> childNames(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(dir)) {
            return children.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException | UncheckedIOException | SecurityException e) {
            LOG.debug("inventory: cannot list {}: {}", dir, e.toString());
            return List.of();
        }
    }
}
