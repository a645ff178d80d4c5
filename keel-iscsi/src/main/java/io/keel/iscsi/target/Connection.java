package io.keel.iscsi.target;

import io.keel.iscsi.login.LoginMachine;
import io.keel.iscsi.login.LoginResult;
import io.keel.iscsi.login.TargetCatalog;
import io.keel.iscsi.login.TargetLimits;
import io.keel.iscsi.pdu.FrameReader;
import io.keel.iscsi.pdu.FrameWriter;
import io.keel.iscsi.pdu.Pdu;
import io.keel.iscsi.pdu.PduException;
import io.keel.iscsi.session.FullFeaturePhase;
import io.keel.iscsi.session.SessionHost;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP connection: login, then the full feature phase until logout or failure. Every way out
 * is one log line; a malformed PDU ends only this connection.
 */
final class Connection implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Connection.class);

    private final Socket socket;
    private final TargetCatalog catalog;
    private final SessionHost host;
    private final TargetLimits limits;
    private final IntSupplier tsihs;
    private final Duration loginTimeout;
    private final Duration keepalive;
    private final ScheduledExecutorService timer;
    private final Runnable onClose;
    private final String peer;
    private volatile FullFeaturePhase session;
    private volatile String targetName;

    Connection(Socket socket, TargetCatalog catalog, SessionHost host, TargetLimits limits, IntSupplier tsihs,
            Duration loginTimeout, Duration keepalive, ScheduledExecutorService timer, Runnable onClose) {
        this.socket = socket;
        this.catalog = catalog;
        this.host = host;
        this.limits = limits;
        this.tsihs = tsihs;
        this.loginTimeout = loginTimeout;
        this.keepalive = keepalive;
        this.timer = timer;
        this.onClose = onClose;
        this.peer = String.valueOf(socket.getRemoteSocketAddress());
    }

    @Override
    public void run() {
        ScheduledFuture<?> pinger = null;
        String how = "closed by the initiator";
        try (socket) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) loginTimeout.toMillis());
            FrameReader in = new FrameReader(new BufferedInputStream(socket.getInputStream(), 1 << 16));
            FrameWriter out = socket.getChannel() != null ? new FrameWriter(socket.getChannel())
                    : new FrameWriter(socket.getOutputStream());
            LoginResult login = login(in, out);
            if (login == null) {
                return;
            }
            if (!login.discovery()) {
                // Set before the check, so a target removed at the same moment finds this connection
                // among its own or this connection finds the target gone.
                targetName = login.targetName();
                if (host.luns(targetName).isEmpty()) {
                    log.info("iSCSI {}: closed, target {} removed during login", peer, targetName);
                    return;
                }
            }
            socket.setSoTimeout(0);
            in.configure(login.params().headerDigest(), login.params().dataDigest(), login.params().targetMaxRecv());
            out.configure(login.params().headerDigest(), login.params().dataDigest());
            String local = socket.getLocalAddress().getHostAddress() + ":" + socket.getLocalPort();
            FullFeaturePhase ffp = new FullFeaturePhase(login, out, host, peer, local);
            session = ffp;
            log.info("iSCSI {}: {} session for {} on {} (TSIH {}, digests {}/{}, MaxRecv {}/{}, burst {}/{}, "
                            + "ImmediateData {}, InitialR2T {})", peer, login.discovery() ? "discovery" : "normal",
                    login.initiatorName(), login.discovery() ? "-" : login.targetName(), login.tsih(),
                    login.params().headerDigest(), login.params().dataDigest(), login.params().initiatorMaxRecv(),
                    login.params().targetMaxRecv(), login.params().firstBurstLength(),
                    login.params().maxBurstLength(), login.params().immediateData(), login.params().initialR2T());
            long period = keepalive.toMillis();
            pinger = timer.scheduleAtFixedRate(this::ping, period, period, TimeUnit.MILLISECONDS);
            try {
                while (true) {
                    Pdu pdu = in.read();
                    if (pdu == null) {
                        break;
                    }
                    if (ffp.handle(pdu) == FullFeaturePhase.Next.CLOSE) {
                        how = "logged out";
                        break;
                    }
                }
            } finally {
                // Closed first so a task blocked sending to an initiator that stopped reading fails
                // instead of holding up the wait for running tasks.
                closeQuietly();
                ffp.close();
            }
        } catch (PduException e) {
            how = "dropped: malformed PDU: " + e.getMessage();
        } catch (FullFeaturePhase.ProtocolViolation e) {
            how = "dropped: protocol violation: " + e.getMessage();
        } catch (SocketTimeoutException e) {
            how = "dropped: login timed out";
        } catch (IOException e) {
            how = socket.isClosed() ? "closed" : "dropped: " + e.getMessage();
        } catch (RuntimeException e) {
            // A bug must cost one connection, never the node: log it fully and carry on.
            log.error("iSCSI {}: internal error, dropping the connection", peer, e);
            how = "dropped after internal error";
        } finally {
            if (pinger != null) {
                pinger.cancel(false);
            }
            onClose.run();
        }
        log.info("iSCSI {}: connection {}", peer, how);
    }

    private LoginResult login(FrameReader in, FrameWriter out) throws IOException, PduException {
        LoginMachine machine = new LoginMachine(catalog, limits, new SecureRandom(), tsihs, 1);
        while (true) {
            Pdu pdu = in.read();
            if (pdu == null) {
                log.info("iSCSI {}: connection closed during login", peer);
                return null;
            }
            if (!(pdu instanceof Pdu.LoginRequest req)) {
                throw new PduException("opcode 0x" + Integer.toHexString(pdu.opcode()) + " before login completed");
            }
            LoginMachine.Step step = machine.handle(req);
            out.write(step.response());
            switch (step.outcome()) {
                case CONTINUE -> {}
                case SUCCEEDED -> {
                    return step.result().orElseThrow();
                }
                case FAILED -> {
                    log.info("iSCSI {}: login refused: {}", peer, step.reason());
                    return null;
                }
            }
        }
    }

    /** The target this connection's session is logged in to, or null (logging in, discovery). */
    String targetName() {
        return targetName;
    }

    private void ping() {
        FullFeaturePhase s = session;
        try {
            if (s != null && !s.ping()) {
                log.info("iSCSI {}: no answer to NOP-In keepalive, closing", peer);
                socket.close();
            }
        } catch (IOException e) {
            closeQuietly();
        }
    }

    void closeQuietly() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Already gone.
        }
    }
}
