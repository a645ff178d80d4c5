package io.keel.api;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.json.JavalinJackson;
import io.keel.api.auth.PasswordHasher;
import io.keel.api.panel.PanelAssets;
import io.keel.api.auth.SessionTokens;
import io.keel.api.console.ConsoleLocks;
import io.keel.api.console.ConsoleTickets;
import io.javalin.websocket.WsHandlerType;
import java.security.SecureRandom;
import java.time.Duration;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Objects;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's REST API: Javalin on Jetty, one request per virtual thread, one port speaking either
 * HTTP or (with {@link TlsConfig}) HTTPS only.
 *
 * <pre>{@code
 * try (ApiServer server = new ApiServer(config, service, volumes, registry)) {
 *     server.start();
 *     int port = server.port();
 * }
 * }</pre>
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    private static final Duration WS_IDLE_TIMEOUT = Duration.ofMinutes(2);

    private final ApiConfig config;
    private final List<Route> routes;
    private final List<ConsoleRoutes.WsEndpoint> wsEndpoints;
    private final Javalin app;
    private volatile boolean started;
    private volatile boolean closed;

    /** A server whose volume, snapshot, compute and console routes all answer 503 unavailable. */
    public ApiServer(ApiConfig config, ClusterService service, PrometheusMeterRegistry registry) {
        this(config, ApiServices.of(service), registry);
    }

    /** A server whose snapshot, compute and console routes answer 503 unavailable. */
    public ApiServer(ApiConfig config, ClusterService service, VolumeService volumes, PrometheusMeterRegistry registry) {
        this(config, ApiServices.of(service).withVolumes(volumes), registry);
    }

    /** A server whose compute and console routes answer 503 unavailable. */
    public ApiServer(ApiConfig config, ClusterService service, VolumeService volumes, SnapshotService snapshots,
            PrometheusMeterRegistry registry) {
        this(config, ApiServices.of(service).withVolumes(volumes).withSnapshots(snapshots), registry);
    }

    public ApiServer(ApiConfig config, ApiServices services, PrometheusMeterRegistry registry) {
        this.config = Objects.requireNonNull(config, "config");
        Objects.requireNonNull(services, "services");
        Objects.requireNonNull(registry, "registry");
        Json json = new Json(Json.newMapper());
        Authenticator auth = new Authenticator(services.cluster(), new PasswordHasher(),
                new SessionTokens(config.clock()), config.sessionTtl(),
                Math.max(1, Runtime.getRuntime().availableProcessors()));
        ConsoleRoutes consoles = new ConsoleRoutes(services.consoles(), services.nodeCredential(), auth,
                new ConsoleTickets(config.clock(), new SecureRandom(), ConsoleTickets.DEFAULT_TTL), new ConsoleLocks(),
                json, config.nodeId());
        ApiRoutes apiRoutes = new ApiRoutes(services, auth, consoles, json, registry, config.nodeId());
        this.routes = apiRoutes.table();
        this.wsEndpoints = consoles.endpoints();
        Errors errors = new Errors(json, new PanelAssets(ApiServer.class.getClassLoader()));
        RequestMetrics metrics = new RequestMetrics(registry);
        this.app = Javalin.create(cfg -> configure(cfg, json, apiRoutes, errors, metrics));
    }

    private void configure(JavalinConfig cfg, Json json, ApiRoutes apiRoutes, Errors errors, RequestMetrics metrics) {
        cfg.useVirtualThreads = true;
        cfg.showJavalinBanner = false;
        cfg.startupWatcherEnabled = false;
        cfg.http.prefer405over404 = true;
        cfg.http.defaultContentType = "application/json";
        cfg.jsonMapper(new JavalinJackson(json.mapper(), true));
        cfg.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler(json.mapper())));
        cfg.jetty.modifyServletContextHandler(handler -> handler.setErrorHandler(new JsonErrorHandler(json.mapper())));
        // A connector of our own replaces Javalin's default one, so TLS means HTTPS only.
        cfg.jetty.addConnector(this::connector);
        // Consoles sit idle for long stretches; their pings (every 30 s) keep them under this.
        cfg.jetty.modifyWebSocketServletFactory(ws -> ws.setIdleTimeout(WS_IDLE_TIMEOUT));
        cfg.router.mount(router -> {
            metrics.install(router);
            errors.install(router);
            for (Route route : routes) {
                Handler handler = apiRoutes.guarded(route);
                router.addHttpHandler(route.method(), route.path(), handler);
                if (route.method() == HandlerType.GET) {
                    // Javalin answers HEAD for a GET route with an empty 200 without running any
                    // handler, which would skip the credential check; run the real one (Jetty drops the body).
                    router.addHttpHandler(HandlerType.HEAD, route.path(), handler);
                }
            }
            for (ConsoleRoutes.WsEndpoint ws : wsEndpoints) {
                router.addHttpHandler(HandlerType.WEBSOCKET_BEFORE_UPGRADE, ws.path(), ws.beforeUpgrade());
                router.addHttpHandler(HandlerType.WEBSOCKET_AFTER_UPGRADE, ws.path(), ws.afterUpgrade());
                router.addWsHandler(WsHandlerType.WEBSOCKET, ws.path(), ws.socket());
            }
        });
    }

    private Connector connector(Server server, HttpConfiguration http) {
        ServerConnector connector;
        TlsConfig tls = config.tls();
        if (tls == null) {
            connector = new ServerConnector(server, new HttpConnectionFactory(http));
        } else {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStorePath(tls.keystorePath().toAbsolutePath().toString());
            ssl.setKeyStorePassword(tls.keystorePassword());
            ssl.setKeyStoreType("PKCS12");
            HttpConfiguration https = new HttpConfiguration(http);
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            // Clients reach nodes by whatever address works (IP, short name, load balancer) and a
            // self-signed certificate cannot list them all; trust is the client's pinning decision,
            // so Jetty must not answer 400 when the SNI name is not in the certificate.
            secure.setSniHostCheck(false);
            https.addCustomizer(secure);
            connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
                    new HttpConnectionFactory(https));
        }
        connector.setHost(config.bindHost());
        connector.setPort(config.port());
        return connector;
    }

    /** Binds and starts serving; fails if the port is taken or the keystore cannot be read. */
    public synchronized ApiServer start() {
        if (closed) {
            throw new IllegalStateException("server is closed");
        }
        if (started) {
            throw new IllegalStateException("server already started");
        }
        try {
            app.start();
        } catch (RuntimeException e) {
            closed = true; // a Javalin instance cannot be started twice
            throw new IllegalStateException("cannot start the API on " + config.bindHost() + ":" + config.port()
                    + ": " + rootMessage(e), e);
        }
        started = true;
        LOG.info("API listening on {}://{}:{}", config.tls() == null ? "http" : "https", config.bindHost(), port());
        return this;
    }

    // Javalin wraps the real failure as new JavalinException(cause), whose message is just
    // cause.toString(); show the cause's own message (e.g. "keystore password was incorrect").
    private static String rootMessage(Throwable e) {
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null && String.valueOf(e.getMessage()).equals(cause.toString())) {
            return cause.getMessage();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** The bound port, which differs from the configured one when that was 0. */
    public int port() {
        if (!started) {
            throw new IllegalStateException("server not started");
        }
        return app.port();
    }

    /** The route table, for documentation and tests. */
    public List<Route> routes() {
        return routes;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (started) {
            app.stop();
        }
    }
}
