package io.keel.s3.http;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.keel.s3.address.Addressing;
import io.keel.s3.auth.SecretLookup;
import io.keel.s3.auth.SigV4Verifier;
import io.keel.s3.backend.BucketSettings;
import io.keel.s3.backend.S3Authorizer;
import io.keel.s3.backend.S3Backend;
import io.keel.s3.error.RequestIds;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.eclipse.jetty.http.UriCompliance;
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
 * The S3 gateway's HTTP binding: Javalin on Jetty, a virtual thread per request, one catch-all
 * handler per method (S3 routes on host + path + query, which {@link S3Gateway} decides), and
 * one port speaking HTTP or, with an {@link javax.net.ssl.SSLContext}, HTTPS only.
 */
public final class S3Server implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(S3Server.class);
    private static final List<HandlerType> METHODS =
            List.of(HandlerType.GET, HandlerType.HEAD, HandlerType.PUT, HandlerType.POST, HandlerType.DELETE,
                    HandlerType.OPTIONS, HandlerType.PATCH);

    private final S3ServerConfig config;
    private final S3Gateway gateway;
    private final Javalin app;
    private volatile boolean started;
    private volatile boolean closed;

    public S3Server(S3ServerConfig config, S3Backend backend, S3Authorizer authorizer, SecretLookup secrets,
            PrincipalLookup principals) {
        this(config, backend, authorizer, secrets, principals, S3Observer.NONE);
    }

    public S3Server(S3ServerConfig config, S3Backend backend, S3Authorizer authorizer, SecretLookup secrets,
            PrincipalLookup principals, S3Observer observer) {
        this(config, new S3Dispatcher(Objects.requireNonNull(backend, "backend"),
                Objects.requireNonNull(authorizer, "authorizer"), config.region()), secrets, principals, observer);
    }

    /**
     * A gateway that also serves bucket settings (CORS, tagging, policy, lifecycle) from
     * {@code settings}. Pass {@code new PolicyAuthorizer(settings)} as the authorizer for bucket
     * policies to take effect.
     */
    public S3Server(S3ServerConfig config, S3Backend backend, S3Authorizer authorizer, SecretLookup secrets,
            PrincipalLookup principals, S3Observer observer, BucketSettings settings) {
        this(config, new S3Dispatcher(Objects.requireNonNull(backend, "backend"),
                Objects.requireNonNull(authorizer, "authorizer"), config.region(),
                Objects.requireNonNull(settings, "settings")), secrets, principals, observer);
    }

    private S3Server(S3ServerConfig config, S3Dispatcher dispatcher, SecretLookup secrets, PrincipalLookup principals,
            S3Observer observer) {
        this.config = Objects.requireNonNull(config, "config");
        Objects.requireNonNull(secrets, "secrets");
        Objects.requireNonNull(principals, "principals");
        SigV4Verifier verifier = new SigV4Verifier(secrets, config.clock(), Set.of(config.region()),
                SigV4Verifier.DEFAULT_MAX_SKEW);
        this.gateway = new S3Gateway(new Addressing(config.endpointNames()), verifier, principals,
                new RequestIds(requestIdSource(), config.nodeTag()), dispatcher, observer);
        this.app = Javalin.create(this::configure);
    }

    /**
     * A DRBG seeded once: the platform's default (NativePRNG) reads /dev/urandom under a lock on
     * every request, two system calls per request id for nothing.
     */
    private static SecureRandom requestIdSource() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (java.security.NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }

    private void configure(JavalinConfig cfg) {
        cfg.useVirtualThreads = true;
        cfg.showJavalinBanner = false;
        cfg.startupWatcherEnabled = false;
        // Objects are stored bytes with their own Content-Encoding; the server must not re-encode them.
        cfg.http.disableCompression();
        cfg.jetty.addConnector(this::connector);
        cfg.router.mount(router -> {
            for (HandlerType method : METHODS) {
                router.addHttpHandler(method, "*", this::serve);
            }
        });
    }

    private Connector connector(Server server, HttpConfiguration http) {
        HttpConfiguration base = new HttpConfiguration(http);
        // Keys may contain "//", "..", "%2F": they are names, not paths, and must reach us unnormalised.
        base.setUriCompliance(UriCompliance.UNSAFE);
        base.setSendServerVersion(false);
        ServerConnector connector;
        if (config.tls().isEmpty()) {
            connector = new ServerConnector(server, new HttpConnectionFactory(base));
        } else {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setSslContext(config.tls().get());
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            // Virtual-hosted names (bucket.s3.example.com) need not be in the certificate's SNI list.
            secure.setSniHostCheck(false);
            base.addCustomizer(secure);
            connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
                    new HttpConnectionFactory(base));
        }
        connector.setHost(config.bindHost());
        connector.setPort(config.port());
        return connector;
    }

    private void serve(Context ctx) throws IOException {
        HttpServletRequest req = ctx.req();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : Collections.list(req.getHeaderNames())) {
            headers.put(name, Collections.list(req.getHeaders(name)));
        }
        S3Response response = gateway.handle(new S3Gateway.Incoming(req.getMethod(), req.getRequestURI(),
                req.getQueryString(), headers, req.getInputStream()));
        write(ctx.res(), response);
    }

    private static void write(HttpServletResponse res, S3Response response) throws IOException {
        res.setStatus(response.status());
        res.setContentType(null);
        for (S3Response.Header h : response.headers()) {
            res.addHeader(h.name(), h.value());
        }
        switch (response.body()) {
            case S3Response.Empty e -> {
                if (e.contentLength() >= 0) {
                    res.setContentLengthLong(e.contentLength());
                }
            }
            case S3Response.Xml x -> {
                res.setContentType("application/xml");
                res.setContentLengthLong(x.bytes().length);
                try (OutputStream out = res.getOutputStream()) {
                    out.write(x.bytes());
                }
            }
            case S3Response.Json j -> {
                res.setContentType("application/json");
                res.setContentLengthLong(j.bytes().length);
                try (OutputStream out = res.getOutputStream()) {
                    out.write(j.bytes());
                }
            }
            case S3Response.Stream s -> {
                res.setContentLengthLong(s.length());
                try (io.keel.s3.backend.StoredObject object = s.object(); InputStream in = object.open(s.offset(), s.length());
                        OutputStream out = res.getOutputStream()) {
                    in.transferTo(out);
                }
            }
        }
    }

    /** Binds and starts serving. */
    public synchronized S3Server start() {
        if (started || closed) {
            throw new IllegalStateException("server already started or closed");
        }
        app.start();
        started = true;
        LOG.info("S3 gateway listening on {}://{}:{}", config.tls().isPresent() ? "https" : "http",
                config.bindHost(), port());
        return this;
    }

    /** The bound port, which differs from the configured one when that was 0. */
    public int port() {
        if (!started) {
            throw new IllegalStateException("server not started");
        }
        return app.port();
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
