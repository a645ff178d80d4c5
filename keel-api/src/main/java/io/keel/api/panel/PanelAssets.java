package io.keel.api.panel;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The admin panel's files (keel-ui's build, under {@code keel-ui/} on the class path), served at
 * the root of the API port wherever no API route matched. A GET for a page of the app's own (a
 * path without a file extension, asked for as HTML) gets {@code index.html}, so a reload or a
 * bookmark of {@code /nodes/node2} works. Paths under {@code /api/} and {@code /metrics} are never
 * the panel's: an unknown API call keeps its JSON 404.
 */
public final class PanelAssets {
    private static final String ROOT = "keel-ui";
    private static final String INDEX = "index.html";
    // The app loads only its own files and calls only this origin (REST and console websockets);
    // PatternFly sets inline styles. No framing, so no clickjacking of admin actions.
    private static final String CSP = "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; "
            + "font-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'self'";
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"), Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"), Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json"), Map.entry("svg", "image/svg+xml"), Map.entry("png", "image/png"),
            Map.entry("ico", "image/x-icon"), Map.entry("woff2", "font/woff2"), Map.entry("woff", "font/woff"),
            Map.entry("ttf", "font/ttf"), Map.entry("map", "application/json"), Map.entry("txt", "text/plain"),
            Map.entry("wasm", "application/wasm"));

    private final ClassLoader loader;
    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    public PanelAssets(ClassLoader loader) {
        this.loader = Objects.requireNonNull(loader, "loader");
    }

    /** Whether this installation carries the panel (a build with {@code -Dkeel.ui.skip} does not). */
    public boolean built() {
        return file(INDEX).isPresent();
    }

    /**
     * Answers a request no API route took, if it is the panel's; false leaves the 404 to the caller.
     * Only GET and HEAD, and never under {@code /api/} or {@code /metrics}.
     */
    public boolean serve(Context ctx) {
        HandlerType method = ctx.method();
        if (method != HandlerType.GET && method != HandlerType.HEAD) {
            return false;
        }
        String path = ctx.path();
        if (path.startsWith("/api/") || path.equals("/api") || path.startsWith("/metrics")) {
            return false;
        }
        String name = relative(path);
        if (name == null) {
            return false;
        }
        Optional<byte[]> body = name.isEmpty() ? Optional.empty() : file(name);
        if (body.isEmpty() && (name.isEmpty() || appPage(name, ctx.header("Accept")))) {
            name = INDEX;
            body = file(INDEX);
            if (body.isEmpty()) {
                ctx.status(404).contentType("text/plain; charset=utf-8").result("The admin panel is not part of this "
                        + "build (built with -Dkeel.ui.skip=true, or without npm). The REST API is under /api/v1.\n");
                return true;
            }
        }
        if (body.isEmpty()) {
            return false;
        }
        ctx.status(200);
        ctx.contentType(TYPES.getOrDefault(extension(name), "application/octet-stream"));
        // Vite names the files under assets/ by content hash: they never change under a name.
        ctx.header("Cache-Control", name.startsWith("assets/") ? "public, max-age=31536000, immutable" : "no-cache");
        ctx.header("X-Content-Type-Options", "nosniff");
        if (name.equals(INDEX)) {
            ctx.header("Content-Security-Policy", CSP);
            ctx.header("X-Frame-Options", "DENY");
            ctx.header("Referrer-Policy", "same-origin");
        }
        ctx.result(body.get());
        return true;
    }

    /** The path inside the panel's root, "" for the root, or null for a path that tries to leave it. */
    static String relative(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (p.equals(INDEX)) {
            return INDEX;
        }
        for (String segment : p.split("/", -1)) {
            if (segment.equals("..") || segment.equals(".") || segment.contains("\\") || segment.contains("%")) {
                return null;
            }
        }
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    // A client-side route: no extension in its last segment, and a browser asking for a page.
    private static boolean appPage(String name, String accept) {
        String last = name.substring(name.lastIndexOf('/') + 1);
        return !last.contains(".") && accept != null && accept.contains("text/html");
    }

    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    // Only files found are kept: misses come from whatever paths clients make up.
    private Optional<byte[]> file(String name) {
        byte[] known = cache.get(name);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<byte[]> loaded = load(name);
        loaded.ifPresent(bytes -> cache.put(name, bytes));
        return loaded;
    }

    private Optional<byte[]> load(String name) {
        URL url = loader.getResource(ROOT + "/" + name);
        if (url == null || url.toString().endsWith("/") || directory(url)) {
            return Optional.empty();
        }
        try (InputStream in = url.openStream()) {
            return Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the panel's " + name, e);
        }
    }

    // A directory resolves too (from a jar with a trailing slash, from target/classes without),
    // and a file: URL of one opens as a listing.
    private static boolean directory(URL url) {
        if (!"file".equals(url.getProtocol())) {
            return false;
        }
        try {
            return Files.isDirectory(Path.of(url.toURI()));
        } catch (URISyntaxException | IllegalArgumentException e) {
            return true;
        }
    }
}
