package io.keel.node.s3;

import io.keel.meta.cluster.ClusterState;
import io.keel.meta.cluster.S3Cluster;
import io.keel.meta.cluster.S3Tls;
import io.keel.meta.cluster.S3User;
import io.keel.s3.backend.BucketSettings;
import io.keel.s3.backend.S3Backend;
import io.keel.s3.http.S3Observer;
import io.keel.s3.http.S3Server;
import io.keel.s3.http.S3ServerConfig;
import io.keel.s3.settings.PolicyAuthorizer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's S3 listeners (ADR 0045): while the S3 cluster names this node, one HTTP and/or one
 * HTTPS server on the cluster's ports (plus the node's offset), all over the same backend. The
 * agent calls {@link #reconcile} with every state it reads; a change of ports, endpoint names or
 * certificate restarts the listeners, in-flight requests on the old ones finish or fail and the
 * client retries, as S3 clients do.
 */
public final class S3Gateways implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(S3Gateways.class);
    /** What S3 clients assume when they are told nothing else (awscli, s3cmd, the SDKs' defaults). */
    public static final String REGION = "us-east-1";

    /** Builds the backend once the S3 cluster exists: its data goes under the cluster's policy. */
    @FunctionalInterface
    public interface BackendFactory {
        S3Backend create(S3Cluster cluster) throws Exception;
    }

    /** The listeners wanted for one state; equal wants mean nothing to restart. */
    record Want(String bindHost, List<String> endpoints, int httpPort, int httpsPort, String tlsFingerprint) {}

    private final String selfId;
    private final String bindHost;
    private final int portOffset;
    private final Supplier<ClusterState> state;
    private final BackendFactory backends;
    private final S3Observer observer;
    private final BucketSettings settings;
    private final Clock clock;
    private final List<S3Server> running = new ArrayList<>();
    private Want current;
    private S3Backend backend;
    private String lastFailure;

    public S3Gateways(String selfId, String bindHost, int portOffset, Supplier<ClusterState> state,
            BackendFactory backends, BucketSettings settings, S3Observer observer, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.observer = Objects.requireNonNull(observer, "observer");
        this.selfId = Objects.requireNonNull(selfId, "selfId");
        this.bindHost = Objects.requireNonNull(bindHost, "bindHost");
        this.portOffset = portOffset;
        this.state = Objects.requireNonNull(state, "state");
        this.backends = Objects.requireNonNull(backends, "backends");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The ports this node serves S3 on now (HTTP first); empty when it serves none. */
    public synchronized List<Integer> ports() {
        return running.stream().map(S3Server::port).toList();
    }

    public synchronized void reconcile(ClusterState s) {
        Optional<S3Cluster> cluster = s.s3().cluster().filter(c -> c.runsOn(selfId));
        if (cluster.isEmpty()) {
            if (current != null) {
                log.info("S3 gateway stopped: this node is no longer in the S3 cluster");
            }
            stop();
            return;
        }
        S3Cluster c = cluster.get();
        Optional<S3Tls> tls = c.protocol().https() ? s.s3().tls() : Optional.empty();
        Want want = new Want(bindHost, c.endpoints(), c.protocol().http() ? c.httpPort() + portOffset : 0,
                c.protocol().https() ? c.httpsPort() + portOffset : 0, tls.map(S3Gateways::fingerprint).orElse(""));
        if (want.equals(current)) {
            return;
        }
        stop();
        try {
            if (backend == null) {
                backend = backends.create(c);
            }
            if (want.httpPort() != 0) {
                running.add(start(want, want.httpPort(), Optional.empty()));
            }
            if (want.httpsPort() != 0) {
                if (tls.isEmpty()) {
                    throw new IllegalStateException("the S3 cluster serves HTTPS but holds no certificate");
                }
                running.add(start(want, want.httpsPort(), Optional.of(PemTls.context(tls.get()))));
            }
            current = want;
            lastFailure = null;
            log.info("S3 gateway serving {} on {} (endpoints {})", c.protocol(), ports(), c.endpoints());
        } catch (Exception | LinkageError e) {
            stop();
            String why = e.getClass().getSimpleName() + ": " + e.getMessage();
            // Once per distinct failure, not every agent round.
            if (!why.equals(lastFailure)) {
                log.warn("S3 gateway cannot start on {}: {}", bindHost, why);
                lastFailure = why;
            }
        }
    }

    private S3Server start(Want want, int port, Optional<SSLContext> tls) {
        S3ServerConfig config = new S3ServerConfig(want.bindHost(), port, want.endpoints(), REGION, selfId, tls, clock);
        return new S3Server(config, backend, new PolicyAuthorizer(settings),
                key -> state.get().s3().secretFor(key),
                key -> state.get().s3().principal(key).map(S3User::id), observer, settings).start();
    }

    private void stop() {
        for (S3Server server : running) {
            server.close();
        }
        running.clear();
        current = null;
    }

    private static String fingerprint(S3Tls tls) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(tls.certificatePem().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            sha.update(tls.privateKeyPem().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Stops the listeners; the backend belongs to whoever built it. */
    @Override
    public synchronized void close() {
        stop();
    }
}
