package io.keel.api;

import io.keel.api.panel.PanelAssets;
import io.javalin.router.JavalinDefaultRouting;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.keel.api.http.ErrorResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failure into {@code {code, message, details}}. Only unexpected exceptions are
 * logged, with the method and route template but never the body, headers or query (they may carry
 * passwords, tokens or node secrets).
 */
final class Errors {
    private static final Logger LOG = LoggerFactory.getLogger(Errors.class);

    private final Json json;
    private final PanelAssets panel;

    Errors(Json json, PanelAssets panel) {
        this.json = Objects.requireNonNull(json, "json");
        this.panel = Objects.requireNonNull(panel, "panel");
    }

    void install(JavalinDefaultRouting app) {
        app.exception(ApiException.class, (e, ctx) -> write(ctx, e.status(), e.code(), e.getMessage(), e.details()));
        // Javalin's own: unknown route, wrong method, body too large, ...
        app.exception(HttpResponseException.class, (e, ctx) -> javalinError(ctx, e));
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("{} {} failed", ctx.method(), RequestMetrics.routeOf(ctx), e);
            write(ctx, 500, "internal", "internal error", Map.of());
        });
    }

    private void javalinError(Context ctx, HttpResponseException e) {
        int status = e.getStatus();
        Map<String, Object> details = new LinkedHashMap<>(e.getDetails());
        String message = e.getMessage() == null ? "" : e.getMessage();
        // No API route: the admin panel's files and pages are what is left at this port.
        if (status == 404 && panel.serve(ctx)) {
            return;
        }
        if (status == 404) {
            message = "no route for " + ctx.method() + " " + ctx.path();
        } else if (status == 405) {
            Object allowed = details.remove("availableMethods");
            if (allowed != null) {
                ctx.header("Allow", allowed.toString());
                details.put("allowed", allowed.toString());
            }
            message = ctx.method() + " is not allowed on " + ctx.path();
        }
        write(ctx, status, codeFor(status), message, details);
    }

    /** The error code for a status that did not come with one (from Javalin or Jetty). */
    static String codeFor(int status) {
        return switch (status) {
            case 400 -> "invalid";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 413 -> "payload_too_large";
            default -> status >= 500 ? "internal" : "http_" + status;
        };
    }

    private void write(Context ctx, int status, String code, String message, Map<String, Object> details) {
        json.write(ctx, status, new ErrorResponse(code, message, details));
    }
}
