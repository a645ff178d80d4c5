package io.keel.node.inventory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/** A fake /proc, /sys and root filesystem in a temporary directory, shaped like the kernel's. */
final class FakeHost {
    final Path proc;
    final Path sys;
    final Path root;

    FakeHost(Path base) {
        this.proc = base.resolve("proc");
        this.sys = base.resolve("sys");
        this.root = base.resolve("root");
    }

    InventoryProbe probe(List<DirectoryDisk> directoryDisks) {
        return new InventoryProbe(proc, sys, root, directoryDisks);
    }

    InventoryProbe probe() {
        return probe(List.of());
    }

    FakeHost file(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content, StandardCharsets.UTF_8);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies a fixture from {@code src/test/resources/inventory/}. */
    FakeHost resource(Path file, String name) {
        try (InputStream in = FakeHost.class.getResourceAsStream("/inventory/" + name)) {
            Objects.requireNonNull(in, name);
            return file(file, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    FakeHost proc(String relative, String content) {
        return file(proc.resolve(relative), content);
    }

    /** A whole device in sys/block: size in 512-byte sectors, and its major:minor. */
    FakeHost blockDevice(String name, long sectors, String dev) {
        Path dir = sys.resolve("block").resolve(name);
        file(dir.resolve("size"), sectors + "\n");
        file(dir.resolve("dev"), dev + "\n");
        return file(dir.resolve("queue/rotational"), "0\n");
    }

    FakeHost rotational(String name) {
        return file(sys.resolve("block").resolve(name).resolve("queue/rotational"), "1\n");
    }

    /** sysfs pads model strings with spaces, as SCSI INQUIRY data does. */
    FakeHost deviceFile(String name, String file, String content) {
        return file(sys.resolve("block").resolve(name).resolve(file), content);
    }

    FakeHost partition(String disk, String partition, String dev) {
        Path dir = sys.resolve("block").resolve(disk).resolve(partition);
        file(dir.resolve("partition"), "1\n");
        return file(dir.resolve("dev"), dev + "\n");
    }

    /** dm/md members: sysfs has a {@code slaves/} entry per underlying device or partition. */
    FakeHost slave(String holder, String member) {
        try {
            Files.createDirectories(sys.resolve("block").resolve(holder).resolve("slaves").resolve(member));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
