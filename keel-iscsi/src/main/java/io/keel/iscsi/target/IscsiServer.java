package io.keel.iscsi.target;

import io.keel.iscsi.login.AccessPolicy;
import io.keel.iscsi.login.TargetCatalog;
import io.keel.iscsi.scsi.InMemoryReservations;
import io.keel.iscsi.scsi.LogicalUnit;
import io.keel.iscsi.scsi.LunBackend;
import io.keel.iscsi.scsi.Luns;
import io.keel.iscsi.scsi.PortGroups;
import io.keel.iscsi.session.SessionHost;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An iSCSI portal serving one or more targets. One platform thread accepts; each connection runs
 * on its own virtual thread (commands of a connection are served in order on it, which is what
 * SCSI ordering wants anyway; parallelism comes from several sessions, as initiators use them).
 * {@link #close()} stops accepting and drops every connection.
 */
public final class IscsiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IscsiServer.class);

    private final ServerSocket listener;
    private final ServerOptions options;
    private final Map<String, TargetConfig> targets = new LinkedHashMap<>();
    private final Map<String, Luns> luns = new HashMap<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger tsihs = new AtomicInteger();
    private final ScheduledThreadPoolExecutor timer;
    private final Thread acceptor;
    private final int portalGroupTag = 1;
    private volatile boolean closed;

    private IscsiServer(ServerSocket listener, List<TargetConfig> configs, ServerOptions options) {
        this.listener = listener;
        this.options = options;
        for (TargetConfig t : configs) {
            if (targets.putIfAbsent(t.iqn(), t) != null) {
                throw new IllegalArgumentException("target " + t.iqn() + " configured twice");
            }
            Map<Integer, LogicalUnit> units = new HashMap<>();
            for (Map.Entry<Integer, LunBackend> e : t.luns().entrySet()) {
                units.put(e.getKey(), new LogicalUnit(e.getValue(), PortGroups.single(), new InMemoryReservations()));
            }
            luns.put(t.iqn(), new Luns(units));
        }
        this.timer = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().daemon().name("iscsi-keepalive-" + listener.getLocalPort()).factory());
        timer.setRemoveOnCancelPolicy(true);
        this.acceptor = Thread.ofPlatform().daemon().name("iscsi-accept-" + listener.getLocalPort())
                .unstarted(this::acceptLoop);
    }

    /** Binds {@code host:port} (port 0 picks a free one) and starts serving. */
    public static IscsiServer start(String host, int port, List<TargetConfig> targets, ServerOptions options)
            throws IOException {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(targets, "targets");
        Objects.requireNonNull(options, "options");
        ServerSocket listener = new ServerSocket();
        try {
            listener.setReuseAddress(true);
            listener.bind(new InetSocketAddress(InetAddress.getByName(host), port), 128);
            IscsiServer server = new IscsiServer(listener, List.copyOf(targets), options);
            server.acceptor.start();
            log.info("iSCSI target listening on {} with {}", listener.getLocalSocketAddress(),
                    server.targets.keySet());
            return server;
        } catch (IOException | RuntimeException e) {
            listener.close();
            throw e;
        }
    }

    public int port() {
        return listener.getLocalPort();
    }

    private void acceptLoop() {
        TargetCatalog catalog = new Catalog();
        SessionHost host = new Host();
        while (!closed) {
            Socket s;
            try {
                s = listener.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.warn("iSCSI accept failed: {}", e.getMessage());
                    // Out of file descriptors and the like: back off instead of spinning.
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                continue;
            }
            if (open.size() >= options.maxConnections()) {
                log.warn("iSCSI {}: refused, {} connections open", s.getRemoteSocketAddress(), open.size());
                closeQuietly(s);
                continue;
            }
            open.add(s);
            Connection c = new Connection(s, catalog, host, options.limits(), this::nextTsih, options.loginTimeout(),
                    options.keepalive(), timer, () -> open.remove(s));
            Thread.ofVirtual().name("iscsi-" + s.getRemoteSocketAddress()).start(c);
        }
    }

    /** TSIHs are 16 bits and never 0. */
    private int nextTsih() {
        while (true) {
            int t = tsihs.incrementAndGet() & 0xffff;
            if (t != 0) {
                return t;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(listener);
        for (Socket s : open) {
            closeQuietly(s);
        }
        timer.shutdownNow();
        log.info("iSCSI target on port {} stopped", listener.getLocalPort());
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // Closing is best effort.
        }
    }

    private final class Catalog implements TargetCatalog {
        @Override
        public Optional<AccessPolicy> access(String targetName) {
            return Optional.ofNullable(targets.get(targetName)).map(TargetConfig::access);
        }

        @Override
        public AccessPolicy discoveryAccess() {
            return options.discoveryAccess();
        }

        @Override
        public int portalGroupTag() {
            return portalGroupTag;
        }
    }

    private final class Host implements SessionHost {
        @Override
        public Optional<Luns> luns(String targetName) {
            return Optional.ofNullable(luns.get(targetName));
        }

        @Override
        public List<String[]> sendTargets(String initiatorName, String localAddress) {
            List<String[]> out = new ArrayList<>();
            for (TargetConfig t : targets.values()) {
                // Discovery shows only the targets this initiator may log in to.
                if (t.access().admits(initiatorName)) {
                    out.add(new String[] {t.iqn(), localAddress + "," + portalGroupTag});
                }
            }
            return out;
        }

        @Override
        public void targetReset(String targetName) {
            Luns l = luns.get(targetName);
            if (l != null) {
                l.units().values().forEach(u -> u.reset(true));
            }
        }
    }
}
