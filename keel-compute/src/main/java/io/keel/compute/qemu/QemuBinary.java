package io.keel.compute.qemu;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/** Finds the QEMU system emulator the way a shell would, so the launcher can be given its path. */
public final class QemuBinary {
    public static final String X86_64 = "qemu-system-x86_64";

    private QemuBinary() {
    }

    /** {@code name} in the directories of {@code searchPath} (a PATH-style list), if executable there. */
    public static Optional<Path> find(String name, String searchPath) {
        Objects.requireNonNull(name, "name");
        if (searchPath == null) {
            return Optional.empty();
        }
        for (String dir : searchPath.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** {@value #X86_64} on this process's PATH, or an error that says how to install it on Debian. */
    public static Path locateX86_64() {
        return find(X86_64, System.getenv("PATH")).orElseThrow(() -> new IllegalStateException(X86_64
                + " is not on the PATH: install Debian's qemu-system-x86 package (scripts/test installs it)"));
    }
}
