package io.keel.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A stand-in for the REST API on 127.0.0.1: canned answers per "METHOD /path", every request
 * recorded, and the bearer token checked on everything but login and health.
 */
final class FakeApi implements AutoCloseable {
    static final String TOKEN = "tok-0123456789abcdef";

    record Request(String method, String path, String query, String authorization, String contentType, String body) {}

    record Response(int status, String body) {}

    private final HttpServer server;
    private final Map<String, Function<Request, Response>> routes = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    FakeApi() throws IOException {
        this(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
    }

    FakeApi(HttpServer server) {
        this.server = server;
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return scheme() + "://127.0.0.1:" + server.getAddress().getPort();
    }

    private String scheme() {
        return server instanceof com.sun.net.httpserver.HttpsServer ? "https" : "http";
    }

    FakeApi on(String method, String path, int status, String body) {
        return on(method, path, r -> new Response(status, body));
    }

    FakeApi on(String method, String path, Function<Request, Response> handler) {
        routes.put(method + " " + path, handler);
        return this;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    Request only() {
        if (requests.size() != 1) {
            throw new AssertionError("expected one request, got " + requests);
        }
        return requests.getFirst();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("Content-Type"), body);
            requests.add(request);
            Response response;
            boolean open = request.path().equals("/api/v1/login") || request.path().equals("/api/v1/health");
            if (!open && !("Bearer " + TOKEN).equals(request.authorization())) {
                response = new Response(401, "{\"code\":\"unauthorized\",\"message\":\"missing or invalid session\",\"details\":{}}");
            } else {
                Function<Request, Response> handler = routes.get(request.method() + " " + request.path());
                response = handler == null
                        ? new Response(404, "{\"code\":\"not_found\",\"message\":\"no route " + request.path() + "\",\"details\":{}}")
                        : handler.apply(request);
            }
            byte[] bytes = response.body() == null ? new byte[0] : response.body().getBytes(StandardCharsets.UTF_8);
            if (bytes.length > 0) {
                exchange.getResponseHeaders().set("Content-Type", "application/json");
            }
            exchange.sendResponseHeaders(response.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
