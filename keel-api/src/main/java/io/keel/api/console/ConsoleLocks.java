package io.keel.api.console;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Which serial consoles on this node have a client. QEMU's socket chardev serves one connection at
 * a time: a second one is accepted by the kernel but gets no bytes until the first leaves, which
 * would look like a hung console. So the node that hosts the VM refuses a second session instead,
 * and says why.
 */
public final class ConsoleLocks {
    /** Held while a session is attached; closing it twice is harmless. */
    public static final class Lease implements AutoCloseable {
        private final Runnable release;
        private final AtomicBoolean released = new AtomicBoolean();

        private Lease(Runnable release) {
            this.release = release;
        }

        @Override
        public void close() {
            if (released.compareAndSet(false, true)) {
                release.run();
            }
        }
    }

    private final Set<String> held = ConcurrentHashMap.newKeySet();

    /**
     * The lease for the console QEMU serves on {@code socket}, or empty when another session holds
     * it. Keyed by the socket rather than the VM's name, so one VM reached by name and by id is
     * still one console.
     */
    public Optional<Lease> tryAcquire(Path socket) {
        String key = Objects.requireNonNull(socket, "socket").toAbsolutePath().normalize().toString();
        if (!held.add(key)) {
            return Optional.empty();
        }
        return Optional.of(new Lease(() -> held.remove(key)));
    }
}
