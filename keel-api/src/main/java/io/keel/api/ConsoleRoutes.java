package io.keel.api;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import io.keel.api.auth.SessionTokens;
import io.keel.api.console.ConsoleBridge;
import io.keel.api.console.ConsoleKind;
import io.keel.api.console.ConsoleLocks;
import io.keel.api.console.ConsolePaths;
import io.keel.api.console.ConsoleService;
import io.keel.api.console.ConsoleTarget;
import io.keel.api.console.ConsoleTickets;
import io.keel.api.console.NodeCredential;
import io.keel.api.console.PeerUpstream;
import io.keel.api.console.UnixUpstream;
import io.keel.api.console.Upstream;
import io.keel.api.dto.ConsoleTicketRequest;
import io.keel.api.dto.ConsoleTicketView;
import io.keel.api.http.ErrorResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console routes: tickets, the WebSocket endpoints operators attach to, and the internal one
 * through which the node serving an operator reaches a VM on another node. Authentication and the
 * choice of upstream happen before the upgrade, so every refusal is an HTTP status with a message
 * (also in the {@value PeerUpstream#ERROR_HEADER} header, since WebSocket clients cannot read
 * a refused handshake's body). Tickets never reach a log: nothing here logs a query string, and
 * the API has no request log.
 */
final class ConsoleRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleRoutes.class);
    private static final String UPSTREAM_ATTRIBUTE = "keel.console.upstream";
    static final String BASE = "/api/v1/vms/{vm}/console";
    static final String INTERNAL_BASE = "/api/v1/internal/vms/{vm}/console";
    private static final long PING_SECONDS = 30;
    private static final long CLAIM_SECONDS = 5;
    // RFC 6455 allows 123 bytes of close reason.
    private static final int MAX_REASON_BYTES = 120;

    /**
     * A console opened before the upgrade, waiting for the WebSocket that will use it. Released if
     * none comes in time: a request that passes the checks but whose handshake then fails (a
     * malformed upgrade) never reaches onConnect, and Javalin does not run after-upgrade handlers
     * for it either.
     */
    private record Pending(Upstream upstream, CompletableFuture<Void> claimed) {
        static Pending of(Upstream upstream) {
            Pending p = new Pending(upstream, new CompletableFuture<>());
            p.claimed().orTimeout(CLAIM_SECONDS, TimeUnit.SECONDS).whenComplete((v, e) -> {
                if (e != null) {
                    upstream.close();
                }
            });
            return p;
        }

        /** True for the one caller that gets the upstream; false when it was given up already. */
        boolean claim() {
            return claimed.complete(null);
        }
    }

    /** One WebSocket endpoint: what runs before the upgrade, after it, and on the socket. */
    record WsEndpoint(String path, Handler beforeUpgrade, Handler afterUpgrade, Consumer<WsConfig> socket) {}

    private final ConsoleService consoles;
    private final NodeCredential credential;
    private final Authenticator auth;
    private final ConsoleTickets tickets;
    private final ConsoleLocks locks;
    private final Json json;
    private final String nodeId;
    private final Map<String, ConsoleBridge> bridges = new ConcurrentHashMap<>();

    ConsoleRoutes(ConsoleService consoles, NodeCredential credential, Authenticator auth, ConsoleTickets tickets,
            ConsoleLocks locks, Json json, String nodeId) {
        this.consoles = Objects.requireNonNull(consoles, "consoles");
        this.credential = Objects.requireNonNull(credential, "credential");
        this.auth = Objects.requireNonNull(auth, "auth");
        this.tickets = Objects.requireNonNull(tickets, "tickets");
        this.locks = Objects.requireNonNull(locks, "locks");
        this.json = Objects.requireNonNull(json, "json");
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
    }

    static String path(ConsoleKind kind) {
        return BASE + "/" + kind.wireName();
    }

    static String internalPath(ConsoleKind kind) {
        return INTERNAL_BASE + "/" + kind.wireName();
    }

    /**
     * The HTTP rows: the ticket route, and each WebSocket path as a plain GET, which answers 426
     * (after checking the caller like the upgrade does) so that the table and the OpenAPI
     * document list the endpoints with their access.
     */
    void addRoutes(List<Route> routes) {
        routes.add(new Route(POST, BASE, Access.SESSION, this::issueTicket));
        for (ConsoleKind kind : ConsoleKind.values()) {
            routes.add(new Route(GET, path(kind), Access.CONSOLE, ConsoleRoutes::upgradeRequired));
            routes.add(new Route(GET, internalPath(kind), Access.NODE, ConsoleRoutes::upgradeRequired));
        }
    }

    List<WsEndpoint> endpoints() {
        List<WsEndpoint> list = new ArrayList<>();
        for (ConsoleKind kind : ConsoleKind.values()) {
            list.add(new WsEndpoint(path(kind), ctx -> beforeUpgrade(ctx, kind, path(kind)),
                    ConsoleRoutes::afterUpgrade, this::socket));
            list.add(new WsEndpoint(internalPath(kind), ctx -> beforeInternalUpgrade(ctx, kind, internalPath(kind)),
                    ConsoleRoutes::afterUpgrade, this::socket));
        }
        return List.copyOf(list);
    }

    private void issueTicket(Context ctx) {
        String vm = ctx.pathParam("vm");
        ConsoleTicketRequest request = json.body(ctx, ConsoleTicketRequest.class);
        ConsoleKind kind = ConsoleKind.fromWire(request.kind()).orElseThrow(() ->
                ApiException.invalid("kind must be 'serial' or 'vnc'"));
        // Asked now so that an unknown or stopped VM is reported here, not as a failed upgrade.
        consoles.locate(vm, kind);
        SessionTokens.Session session = Objects.requireNonNull(ctx.attribute(Authenticator.SESSION_ATTRIBUTE), "session");
        ConsoleTickets.Issued issued = tickets.issue(new ConsoleTickets.Grant(vm, kind, session.username()))
                .orElseThrow(() -> new ApiException(503, "busy", "too many console tickets outstanding, try again shortly"));
        json.write(ctx, 200, new ConsoleTicketView(issued.ticket(), vm, kind.wireName(), issued.expiresAt(),
                ConsolePaths.operator(vm, kind)));
    }

    /** Session token in the Authorization header (the CLI), else a ticket in the query (browsers). */
    String authenticate(Context ctx, ConsoleKind kind) {
        if (ctx.header("Authorization") != null) {
            auth.requireSession(ctx);
            SessionTokens.Session session = ctx.attribute(Authenticator.SESSION_ATTRIBUTE);
            return session.username();
        }
        String ticket = ctx.queryParam("ticket");
        if (ticket == null || ticket.isBlank()) {
            throw new ApiException(401, "unauthorized", "a console needs a session token (Authorization: Bearer) or a"
                    + " ticket from POST " + ConsolePaths.tickets(ctx.pathParam("vm")));
        }
        try {
            return tickets.redeem(ticket, ctx.pathParam("vm"), kind).username();
        } catch (ConsoleTickets.RefusedException e) {
            throw new ApiException(401, "unauthorized", e.getMessage());
        }
    }

    /** For {@link Access#CONSOLE} routes: the kind is the last segment of the route's path. */
    void authenticate(Context ctx, String routePath) {
        String kind = routePath.substring(routePath.lastIndexOf('/') + 1);
        authenticate(ctx, ConsoleKind.fromWire(kind).orElseThrow());
    }

    private static void upgradeRequired(Context ctx) {
        ctx.header("Upgrade", "websocket");
        throw new ApiException(426, "upgrade_required", "this endpoint is a WebSocket: connect with an Upgrade request");
    }

    private void beforeUpgrade(Context ctx, ConsoleKind kind, String template) {
        RequestMetrics.markRoute(ctx, template);
        refusalsInHeader(ctx, () -> {
            String vm = ctx.pathParam("vm");
            String user = authenticate(ctx, kind);
            ctx.attribute(UPSTREAM_ATTRIBUTE, Pending.of(open(vm, kind, consoles.locate(vm, kind))));
            LOG.info("{} console of VM {} attached by {}", kind.wireName(), vm, user);
        });
    }

    private void beforeInternalUpgrade(Context ctx, ConsoleKind kind, String template) {
        RequestMetrics.markRoute(ctx, template);
        refusalsInHeader(ctx, () -> {
            String caller = auth.requireNode(ctx);
            String vm = ctx.pathParam("vm");
            ConsoleTarget target = consoles.locate(vm, kind);
            if (!(target instanceof ConsoleTarget.Local)) {
                // Only one hop: two nodes that disagree about where a VM runs must not bounce it between them.
                throw ApiException.conflict("VM " + vm + " does not run on node " + nodeId);
            }
            ctx.attribute(UPSTREAM_ATTRIBUTE, Pending.of(open(vm, kind, target)));
            LOG.info("{} console of VM {} attached for node {}", kind.wireName(), vm, caller);
        });
    }

    /**
     * Runs the checks of an upgrade. A refusal gets its message in a header too, and its JSON body
     * is written here: Javalin's WebSocket servlet sets the status of an exception from a
     * before-upgrade handler but never writes the body. Rethrowing is what stops the upgrade.
     */
    private void refusalsInHeader(Context ctx, Runnable action) {
        try {
            action.run();
        } catch (ApiException e) {
            ctx.header(PeerUpstream.ERROR_HEADER, headerText(e.getMessage()));
            try {
                byte[] body = json.mapper().writeValueAsBytes(new ErrorResponse(e.code(), e.getMessage(), e.details()));
                ctx.res().setStatus(e.status());
                ctx.res().setContentType("application/json");
                ctx.res().setContentLength(body.length);
                ctx.res().getOutputStream().write(body);
                ctx.res().flushBuffer();
            } catch (IOException io) {
                // The client is gone; the status is all there was to tell it.
            }
            throw e;
        }
    }

    private Upstream open(String vm, ConsoleKind kind, ConsoleTarget target) {
        return switch (target) {
            case ConsoleTarget.Local local -> {
                // QEMU's VNC server takes several clients (noVNC asks for a shared session); its
                // serial chardev serves one, so a second serial session is refused here.
                AutoCloseable lease = kind == ConsoleKind.SERIAL
                        ? locks.tryAcquire(local.unixSocket()).orElseThrow(() -> ApiException.conflict(
                                "the serial console of VM " + vm + " is in use by another session"))
                        : () -> { };
                try {
                    yield UnixUpstream.connect(local.unixSocket(), lease);
                } catch (IOException e) {
                    throw ApiException.conflict("the " + kind.wireName() + " console of VM " + vm
                            + " is not reachable: " + e.getMessage());
                }
            }
            case ConsoleTarget.Remote remote -> PeerUpstream.connect(remote, vm, kind, credential);
        };
    }

    // Runs after Jetty's upgrade step when it answered (not always: see Pending); a handshake
    // that was refused will never reach onConnect, so its console is let go at once.
    private static void afterUpgrade(Context ctx) {
        Pending pending = ctx.attribute(UPSTREAM_ATTRIBUTE);
        if (pending != null && ctx.res().getStatus() != 101 && pending.claim()) {
            pending.upstream().close();
        }
    }

    private void socket(WsConfig ws) {
        ws.onConnect(ctx -> {
            Pending pending = ctx.attribute(UPSTREAM_ATTRIBUTE);
            if (pending == null || !pending.claim()) {
                ctx.closeSession(ConsoleBridge.INTERNAL_ERROR, "the console was released before the WebSocket opened");
                return;
            }
            ConsoleBridge bridge = new ConsoleBridge(pending.upstream(), client(ctx));
            bridges.put(ctx.sessionId(), bridge);
            // Pings keep idle consoles open through proxies and show a dead client to Jetty's idle timeout.
            ctx.enableAutomaticPings(PING_SECONDS, TimeUnit.SECONDS);
            bridge.start();
        });
        ws.onBinaryMessage(ctx -> {
            ConsoleBridge bridge = bridges.get(ctx.sessionId());
            if (bridge != null) {
                bridge.fromClient(ByteBuffer.wrap(ctx.data(), ctx.offset(), ctx.length()));
            }
        });
        ws.onMessage(ctx -> {
            ConsoleBridge bridge = bridges.get(ctx.sessionId());
            if (bridge != null) {
                bridge.fromClient(StandardCharsets.UTF_8.encode(ctx.message()));
            }
        });
        ws.onClose(ctx -> detach(ctx));
        ws.onError(ctx -> detach(ctx));
    }

    private void detach(WsContext ctx) {
        ctx.disableAutomaticPings();
        ConsoleBridge bridge = bridges.remove(ctx.sessionId());
        if (bridge != null) {
            bridge.clientClosed();
        }
    }

    private static ConsoleBridge.Client client(WsContext ctx) {
        return new ConsoleBridge.Client() {
            @Override
            public void send(ByteBuffer bytes) throws IOException {
                try {
                    ctx.send(bytes);
                } catch (RuntimeException e) {
                    throw new IOException("the client is gone: " + e.getMessage(), e);
                }
            }

            @Override
            public void close(int status, String reason) {
                try {
                    ctx.closeSession(status, truncate(reason));
                } catch (RuntimeException e) {
                    // Already closed from the other side.
                }
            }
        };
    }

    private static String truncate(String reason) {
        byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_REASON_BYTES) {
            return reason;
        }
        return new String(bytes, 0, MAX_REASON_BYTES, StandardCharsets.UTF_8).replace("\uFFFD", "");
    }

    // Header values are visible ASCII; anything else in a message (a VM name is the caller's text) becomes '?'.
    private static String headerText(String message) {
        StringBuilder sb = new StringBuilder(message.length());
        message.chars().forEach(c -> sb.append(c >= 0x20 && c < 0x7f ? (char) c : '?'));
        return sb.toString();
    }
}
