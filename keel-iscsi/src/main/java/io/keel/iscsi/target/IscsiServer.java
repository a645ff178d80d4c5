package io.keel.iscsi.target;

import io.keel.iscsi.login.AccessPolicy;
import io.keel.iscsi.login.TargetCatalog;
import io.keel.iscsi.scsi.InMemoryReservationStore;
import io.keel.iscsi.scsi.LogicalUnit;
import io.keel.iscsi.scsi.LunBackend;
import io.keel.iscsi.scsi.LunSpec;
import io.keel.iscsi.scsi.Luns;
import io.keel.iscsi.scsi.StoredReservations;
import io.keel.iscsi.scsi.TargetPorts;
import io.keel.iscsi.session.SessionHost;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An iSCSI portal serving targets that the node adds and removes while it runs. One platform
 * thread accepts; each connection runs on its own virtual thread (commands of a connection are
 * served in order on it, which is what SCSI ordering wants anyway; parallelism comes from several
 * sessions, as initiators use them). {@link #close()} stops accepting and drops every connection.
 */
public final class IscsiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IscsiServer.class);
    /** Every target of this portal is in portal group 1; targets of a group differ by IQN and node. */
    private static final int PORTAL_GROUP_TAG = 1;

    private final ServerSocket listener;
    private final ServerOptions options;
    private final Map<String, Target> targets = new ConcurrentSkipListMap<>();
    private final Map<Socket, Connection> open = new ConcurrentHashMap<>();
    private final AtomicInteger tsihs = new AtomicInteger();
    private final ScheduledThreadPoolExecutor timer;
    private final Thread acceptor;
    private volatile boolean closed;

    private IscsiServer(ServerSocket listener, ServerOptions options) {
        this.listener = listener;
        this.options = options;
        this.timer = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().daemon().name("iscsi-keepalive-" + listener.getLocalPort()).factory());
        timer.setRemoveOnCancelPolicy(true);
        this.acceptor = Thread.ofPlatform().daemon().name("iscsi-accept-" + listener.getLocalPort())
                .unstarted(this::acceptLoop);
    }

    /** Binds {@code host:port} (port 0 picks a free one) and starts serving, with no targets yet. */
    public static IscsiServer start(String host, int port, ServerOptions options) throws IOException {
        return start(host, port, List.of(), options);
    }

    /**
     * Binds {@code host:port} (port 0 picks a free one) and starts serving {@code targets}, each
     * LUN active over its backend with its reservations in memory.
     */
    public static IscsiServer start(String host, int port, List<TargetConfig> targets, ServerOptions options)
            throws IOException {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(targets, "targets");
        Objects.requireNonNull(options, "options");
        // A channel's socket: accepted connections then have channels, which write Data-In from
        // direct memory without another copy (FrameWriter).
        ServerSocket listener = ServerSocketChannel.open().socket();
        try {
            listener.setReuseAddress(true);
            listener.bind(new InetSocketAddress(InetAddress.getByName(host), port), 128);
            IscsiServer server = new IscsiServer(listener, options);
            for (TargetConfig t : List.copyOf(targets)) {
                Target target = server.addTarget(t.iqn(), t.ports(), t.access());
                for (Map.Entry<Integer, LunBackend> e : t.luns().entrySet()) {
                    LogicalUnit unit = new LogicalUnit(LunSpec.of(e.getValue()), t.ports(),
                            new StoredReservations(new InMemoryReservationStore(), t.ports()));
                    unit.activate(e.getValue());
                    target.put(e.getKey(), unit);
                }
            }
            server.acceptor.start();
            log.info("iSCSI target listening on {} with {}", listener.getLocalSocketAddress(), server.targets.keySet());
            return server;
        } catch (IOException | RuntimeException e) {
            listener.close();
            throw e;
        }
    }

    public int port() {
        return listener.getLocalPort();
    }

    /**
     * Adds a target with no LUNs. Initiators can log in to it at once (and see no LUNs until the
     * node exports some).
     *
     * @param ports this target's port in its target group, and the group's other ports
     * @throws IllegalArgumentException not an iSCSI name, or a target of that name exists
     */
    public Target addTarget(String iqn, TargetPorts ports, AccessPolicy access) {
        Target t = new Target(iqn, ports, access);
        if (targets.putIfAbsent(t.iqn(), t) != null) {
            throw new IllegalArgumentException("target " + iqn + " exists");
        }
        log.info("iSCSI target {} added (relative port {}, group {})", iqn, ports.local().relativePortId(),
                ports.local().groupId());
        return t;
    }

    public Optional<Target> target(String iqn) {
        return Optional.ofNullable(targets.get(Objects.requireNonNull(iqn, "iqn")));
    }

    /** Connections logged in to target {@code iqn} (one per session: MC/S is not offered). */
    public int sessions(String iqn) {
        Objects.requireNonNull(iqn, "iqn");
        return (int) open.values().stream().filter(c -> iqn.equals(c.targetName())).count();
    }

    public Set<String> targetNames() {
        return Set.copyOf(targets.keySet());
    }

    /**
     * Removes a target and closes its sessions. Its LUNs stay as they are: the caller puts them in
     * standby and closes their storage.
     *
     * @return the removed target, if there was one
     */
    public Optional<Target> removeTarget(String iqn) {
        Target t = targets.remove(Objects.requireNonNull(iqn, "iqn"));
        if (t == null) {
            return Optional.empty();
        }
        int dropped = 0;
        for (Map.Entry<Socket, Connection> e : open.entrySet()) {
            if (iqn.equals(e.getValue().targetName())) {
                closeQuietly(e.getKey());
                dropped++;
            }
        }
        log.info("iSCSI target {} removed, {} sessions closed", iqn, dropped);
        return Optional.of(t);
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
            Connection c = new Connection(s, catalog, host, options.limits(), this::nextTsih, options.loginTimeout(),
                    options.keepalive(), timer, () -> open.remove(s));
            open.put(s, c);
            // A platform thread reads each connection: on a virtual thread every read that found
            // the socket empty went through the poller and a carrier hand-off, once per command
            // (iscsi-perf at QD32: 0.84x of tgt against 0.78x).
            Thread.ofPlatform().daemon().name("iscsi-" + s.getRemoteSocketAddress()).start(c);
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
        for (Socket s : open.keySet()) {
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
            return Optional.ofNullable(targets.get(targetName)).map(Target::access);
        }

        @Override
        public AccessPolicy discoveryAccess() {
            return options.discoveryAccess();
        }

        @Override
        public int portalGroupTag() {
            return PORTAL_GROUP_TAG;
        }
    }

    private final class Host implements SessionHost {
        @Override
        public Optional<Luns> luns(String targetName) {
            return Optional.ofNullable(targets.get(targetName)).map(Target::table);
        }

        @Override
        public int relativeTargetPort(String targetName) {
            Target t = targets.get(targetName);
            return t == null ? 1 : t.ports().local().relativePortId();
        }

        @Override
        public List<String[]> sendTargets(String initiatorName, String localAddress) {
            List<String[]> out = new ArrayList<>();
            for (Target t : targets.values()) {
                // Discovery shows only the targets this initiator may log in to.
                if (t.access().admits(initiatorName)) {
                    out.add(new String[] {t.iqn(), localAddress + "," + PORTAL_GROUP_TAG});
                    // The group's targets on other nodes: one discovery finds every path.
                    for (Target.Peer p : t.peers()) {
                        out.add(new String[] {p.iqn(), p.portal() + "," + PORTAL_GROUP_TAG});
                    }
                }
            }
            return out;
        }

        @Override
        public void targetReset(String targetName) {
            Target t = targets.get(targetName);
            if (t != null) {
                t.luns().values().forEach(u -> u.reset(true));
            }
        }
    }
}
