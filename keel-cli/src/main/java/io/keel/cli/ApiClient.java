package io.keel.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.function.LongConsumer;
import javax.net.ssl.SSLException;

/**
 * The REST API over HTTP: JSON in and out, the session token as a bearer token, and every failure
 * turned into an {@link ApiError} (the API answered with an error) or a {@link CliException} (it
 * could not be reached, or answered nonsense).
 */
final class ApiClient {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private final HttpClient http;
    private final String base;
    private final String token;
    private final boolean insecure;
    private final ObjectMapper json;
    private final Duration timeout;

    /** {@code token} null sends no Authorization header (login, health). */
    ApiClient(HttpClient http, String base, String token, boolean insecure, ObjectMapper json, Duration timeout) {
        this.http = http;
        this.base = base;
        this.token = token;
        this.insecure = insecure;
        this.json = json;
        this.timeout = timeout;
    }

    String base() {
        return base;
    }

    JsonNode get(String path) {
        return send("GET", path, null);
    }

    JsonNode post(String path, Object body) {
        return send("POST", path, body);
    }

    JsonNode put(String path, Object body) {
        return send("PUT", path, body);
    }

    JsonNode patch(String path, Object body) {
        return send("PATCH", path, body);
    }

    JsonNode delete(String path) {
        return send("DELETE", path, null);
    }

    /** The JSON of a 2xx answer, or null for an empty one (204). */
    JsonNode send(String method, String path, Object body) {
        return send(method, path, body, Duration.ZERO);
    }

    /**
     * As {@link #send(String, String, Object)}, for a call the server answers only after up to
     * {@code serverWait} (a VM action waiting for the VM): the timeout is that plus the usual one.
     */
    JsonNode send(String method, String path, Object body, Duration serverWait) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(timeout.plus(serverWait))
                .header("Accept", "application/json")
                .header("User-Agent", "keel-cli");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            String text;
            try {
                text = json.writeValueAsString(body);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot encode " + body.getClass().getSimpleName(), e);
            }
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return answer(request.build());
    }

    /**
     * PUTs {@code file} as the raw body, read a buffer at a time (never whole into memory), with
     * its length announced so the server can refuse a file that cannot fit before it is sent:
     * {@code Expect: 100-continue} makes the client wait for the server's go-ahead, so a refusal
     * costs no bytes. {@code sent} gets the bytes handed to the connection so far. No answer
     * timeout: the server answers when it has stored the file, which takes as long as it takes.
     */
    JsonNode putFile(String path, Path file, LongConsumer sent) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new CliException("cannot read " + file + ": " + e.getMessage(), e);
        }
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(() -> counting(file, sent)), size);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .expectContinue(true)
                .header("Accept", "application/json")
                .header("User-Agent", "keel-cli")
                .header("Content-Type", "application/octet-stream")
                .PUT(body);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return answer(request.build());
    }

    private static InputStream counting(Path file, LongConsumer sent) {
        try {
            return new CountingInputStream(Files.newInputStream(file), sent);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode answer(HttpRequest request) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while waiting for the Keel API at " + base, e);
        } catch (IOException | UncheckedIOException e) {
            throw unreachable(e instanceof UncheckedIOException u ? u.getCause() : (IOException) e);
        }
        int status = response.statusCode();
        String text = response.body() == null ? "" : response.body();
        if (status / 100 != 2) {
            throw error(status, text);
        }
        if (text.isBlank()) {
            return null;
        }
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new CliException("unexpected answer from the Keel API at " + base + " (HTTP " + status
                    + "): not JSON", e);
        }
    }

    /**
     * Opens a WebSocket on {@code path} (ws:// or wss:// like the API URL) with the session token.
     * A refused upgrade becomes the {@link ApiError} the API answered: its message comes in the
     * {@code Keel-Error} header, because a refused handshake's body is not readable here.
     */
    WebSocket webSocket(String path, WebSocket.Listener listener) {
        WebSocket.Builder builder = http.newWebSocketBuilder()
                .connectTimeout(timeout.compareTo(Duration.ofSeconds(10)) < 0 ? timeout : Duration.ofSeconds(10))
                .header("User-Agent", "keel-cli");
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        // http -> ws, https -> wss
        URI uri = URI.create("ws" + base.substring("http".length()) + path);
        try {
            return builder.buildAsync(uri, listener).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                int status = refused.getResponse().statusCode();
                String message = refused.getResponse().headers().firstValue("Keel-Error")
                        .orElse("the Keel API at " + base + " refused the WebSocket (HTTP " + status + ")");
                throw new ApiError(status, defaultCode(status), message, null);
            }
            if (e.getCause() instanceof IOException io) {
                throw unreachable(io);
            }
            throw new CliException("cannot open a WebSocket to the Keel API at " + base + ": " + e.getCause(), e);
        } catch (TimeoutException e) {
            throw new CliException("the Keel API at " + base + " did not open the WebSocket within "
                    + timeout.toSeconds() + "s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while waiting for the Keel API at " + base, e);
        }
    }

    private ApiError error(int status, String text) {
        JsonNode node = null;
        try {
            node = text.isBlank() ? null : json.readTree(text);
        } catch (JsonProcessingException ignored) {
            // not the API's error format: report the status
        }
        if (node != null && node.isObject() && node.hasNonNull("message")) {
            String code = node.hasNonNull("code") ? node.get("code").asText() : null;
            return new ApiError(status, code, node.get("message").asText(), node.get("details"));
        }
        String snippet = text.strip().lines().findFirst().orElse("");
        if (snippet.length() > 200) {
            snippet = snippet.substring(0, 200) + "...";
        }
        String message = "the Keel API at " + base + " answered HTTP " + status
                + (snippet.isEmpty() ? "" : ": " + snippet);
        return new ApiError(status, defaultCode(status), message, null);
    }

    private static String defaultCode(int status) {
        return switch (status) {
            case 400 -> "invalid";
            case 401 -> "unauthorized";
            case 404 -> "not_found";
            case 409 -> "conflict";
            default -> null;
        };
    }

    private CliException unreachable(IOException e) {
        String where = "the Keel API at " + base;
        SSLException tls = find(e, SSLException.class);
        if (tls != null) {
            String hint = insecure ? "" : " (if it uses a self-signed certificate, add --insecure)";
            return new CliException("TLS handshake with " + where + " failed: " + tls.getMessage() + hint, e);
        }
        if (e instanceof HttpConnectTimeoutException) {
            return new CliException("cannot reach " + where + ": connection "
                    + (base.startsWith("https:") ? "or TLS handshake " : "") + "timed out", e);
        }
        if (e instanceof HttpTimeoutException) {
            return new CliException(where + " did not answer within "
                    + (timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + "s" : timeout.toMillis() + "ms"), e);
        }
        if (find(e, UnresolvedAddressException.class) != null) {
            return new CliException("cannot reach " + where + ": unknown host " + URI.create(base).getHost(), e);
        }
        if (e instanceof ConnectException) {
            String reason = deepestMessage(e);
            if (reason == null || reason.toLowerCase(Locale.ROOT).contains("refused")) {
                reason = "connection refused";
            }
            return new CliException("cannot reach " + where + ": " + reason, e);
        }
        String reason = deepestMessage(e);
        return new CliException("cannot reach " + where + ": " + (reason == null ? e.getClass().getSimpleName() : reason), e);
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    private static String deepestMessage(Throwable t) {
        String message = null;
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c.getMessage() != null && !c.getMessage().isBlank()) {
                message = c.getMessage();
            }
        }
        return message;
    }

    /** Percent-encodes one path segment (a node, disk or location name), keeping only unreserved characters. */
    static String segment(String value) {
        if (value.equals(".") || value.equals("..")) {
            return value.replace(".", "%2E");
        }
        StringBuilder sb = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                sb.append(c);
            } else {
                sb.append('%').append(HEX.toHexDigits(b));
            }
        }
        return sb.toString();
    }
}
