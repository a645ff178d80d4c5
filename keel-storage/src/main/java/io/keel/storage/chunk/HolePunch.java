package io.keel.storage.chunk;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frees the disk space of a byte range of a file with Linux {@code fallocate(PUNCH_HOLE |
 * KEEP_SIZE)}, which the JDK has no API for. Punching is only an optimisation for trim: the
 * checksum sidecar already says the blocks are holes, so they read as zeros whether or not their
 * data was freed. Where it cannot work (not Linux, native access denied, a filesystem without hole
 * punching) it is switched off after one log line and trims just leave the old bytes in place.
 *
 * <p>The JDK does not expose a file channel's descriptor, so each punch opens the file by path.
 */
final class HolePunch {
    private static final Logger log = LoggerFactory.getLogger(HolePunch.class);
    private static final int O_WRONLY = 1;
    private static final int O_CLOEXEC = 0x80000; // the same on x86-64 and arm64
    private static final int FALLOC_FL_KEEP_SIZE = 1;
    private static final int FALLOC_FL_PUNCH_HOLE = 2;
    private static final int EINTR = 4;
    private static final int ENOSYS = 38;
    private static final int EOPNOTSUPP = 95;

    private static final Native NATIVE = Native.load();
    private static final AtomicBoolean enabled = new AtomicBoolean(NATIVE != null);
    private static final AtomicBoolean warnedFailure = new AtomicBoolean();

    private record Native(MethodHandle open, MethodHandle fallocate, MethodHandle close, StructLayout state,
            VarHandle errno) {
        @SuppressWarnings("restricted") // the point of this class; a denial is caught below
        static Native load() {
            if (!System.getProperty("os.name", "").startsWith("Linux")) {
                log.info("trim leaves data in place: hole punching needs Linux");
                return null;
            }
            try {
                Linker linker = Linker.nativeLinker();
                SymbolLookup libc = linker.defaultLookup();
                StructLayout state = Linker.Option.captureStateLayout();
                Linker.Option errno = Linker.Option.captureCallState("errno");
                MethodHandle open = linker.downcallHandle(libc.find("open").orElseThrow(),
                        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), errno,
                        Linker.Option.firstVariadicArg(2));
                MethodHandle fallocate = linker.downcallHandle(libc.find("fallocate").orElseThrow(),
                        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG), errno);
                MethodHandle close = linker.downcallHandle(libc.find("close").orElseThrow(),
                        FunctionDescriptor.of(JAVA_INT, JAVA_INT));
                return new Native(open, fallocate, close, state,
                        state.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno")));
            } catch (RuntimeException | LinkageError e) { // e.g. IllegalCallerException: native access denied
                log.warn("trim leaves data in place: cannot use fallocate ({})", e.toString());
                return null;
            }
        }
    }

    private HolePunch() {}

    /** Whether punching is still switched on; for tests that check space is freed. */
    static boolean enabled() {
        return enabled.get();
    }

    /**
     * Deallocates {@code length} bytes at {@code offset} of {@code file}, keeping its size; the
     * range then reads as zeros. Returns false, never throws, if the range could not be freed.
     */
    static boolean punch(Path file, long offset, long length) {
        if (length <= 0 || !enabled.get()) {
            return false;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(NATIVE.state());
            int fd = (int) NATIVE.open().invokeExact(state, arena.allocateFrom(file.toString()), O_WRONLY | O_CLOEXEC, 0);
            if (fd < 0) {
                return failed(file, "open", errno(state));
            }
            try {
                int rc;
                do {
                    rc = (int) NATIVE.fallocate().invokeExact(state, fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
                            offset, length);
                } while (rc != 0 && errno(state) == EINTR);
                return rc == 0 || failed(file, "fallocate", errno(state));
            } finally {
                int ignored = (int) NATIVE.close().invokeExact(fd);
            }
        } catch (Throwable t) { // invokeExact declares Throwable; a bug here must not fail the trim
            enabled.set(false);
            log.warn("trim leaves data in place from now on: fallocate failed unexpectedly", t);
            return false;
        }
    }

    private static int errno(MemorySegment state) {
        return (int) NATIVE.errno().get(state, 0L);
    }

    private static boolean failed(Path file, String call, int errno) {
        if (errno == EOPNOTSUPP || errno == ENOSYS) {
            if (enabled.compareAndSet(true, false)) {
                log.info("trim leaves data in place: the filesystem of {} cannot punch holes", file.getParent());
            }
        } else if (warnedFailure.compareAndSet(false, true)) {
            log.warn("cannot free trimmed space of {}: {} failed with errno {} (logged once)", file, call, errno);
        }
        return false;
    }
}
