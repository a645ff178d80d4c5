package io.keel.testkit.guest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The guest's kernel and initramfs, as built by {@code scripts/test-guest.sh}, and the same guest as
 * a boot disk ({@link #bootDisk()}, {@link #bootDiskQcow2()}).
 *
 * @param dir    the directory holding both
 * @param kernel {@code vmlinuz}
 * @param initrd {@code initrd.img}
 */
public record GuestImage(Path dir, Path kernel, Path initrd) {
    public static final String DIR_PROPERTY = "keel.guest.dir";
    public static final String DIR_ENV = "KEEL_GUEST_DIR";

    public GuestImage {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(initrd, "initrd");
    }

    /** The guest in {@code dir}, or a clear error saying how to build it. */
    public static GuestImage in(Path dir) {
        Objects.requireNonNull(dir, "dir");
        GuestImage image = new GuestImage(dir, dir.resolve("vmlinuz"), dir.resolve("initrd.img"));
        if (!Files.isRegularFile(image.kernel()) || !Files.isRegularFile(image.initrd())) {
            throw new IllegalStateException("no test guest in " + dir + " (vmlinuz and initrd.img): run scripts/test-guest.sh "
                    + dir);
        }
        return image;
    }

    /**
     * {@code disk.raw}: a raw disk that SeaBIOS boots into the same guest with no {@code -kernel}.
     * Attach a copy: the file is shared by every test using this directory.
     */
    public Path bootDisk() {
        return existing("disk.raw");
    }

    /** {@code disk.qcow2}: {@link #bootDisk()} converted to qcow2. Attach a copy. */
    public Path bootDiskQcow2() {
        return existing("disk.qcow2");
    }

    /** {@code disk.iso}: the same guest as a CD that SeaBIOS boots (El Torito, ISOLINUX). */
    public Path bootIso() {
        return existing("disk.iso");
    }

    // Checked on use rather than in in(dir), so tests booting the kernel directly keep working with a
    // guest built before the script made disks.
    private Path existing(String name) {
        Path file = dir.resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("no " + name + " in " + dir + " (a guest built by an older script?): run scripts/test-guest.sh "
                    + dir);
        }
        return file;
    }

    /**
     * Where scripts/test and scripts/test-guest.sh put it: the {@value #DIR_PROPERTY} system property,
     * else {@code $KEEL_GUEST_DIR}, else {@code ${KEEL_CACHE:-$HOME/.cache/keel}/guest}.
     */
    public static GuestImage locate() {
        List<Path> tried = new ArrayList<>();
        for (String candidate : candidates()) {
            Path dir = Path.of(candidate);
            tried.add(dir);
            if (Files.isRegularFile(dir.resolve("vmlinuz")) && Files.isRegularFile(dir.resolve("initrd.img"))) {
                return in(dir);
            }
        }
        throw new IllegalStateException("no test guest found (looked in " + tried + "): run scripts/test-guest.sh");
    }

    private static List<String> candidates() {
        List<String> dirs = new ArrayList<>();
        String prop = System.getProperty(DIR_PROPERTY);
        if (prop != null && !prop.isBlank()) {
            dirs.add(prop);
        }
        String env = System.getenv(DIR_ENV);
        if (env != null && !env.isBlank()) {
            dirs.add(env);
        }
        String cache = System.getenv("KEEL_CACHE");
        if (cache == null || cache.isBlank()) {
            cache = System.getProperty("user.home") + "/.cache/keel";
        }
        dirs.add(cache + "/guest");
        return dirs;
    }
}
