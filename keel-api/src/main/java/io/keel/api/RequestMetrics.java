package io.keel.api;

import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRouting;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Timer {@code keel.api.requests} tagged method, route and status. The route is the matched
 * template, never the raw path, so that ids in paths cannot blow up the number of series.
 */
final class RequestMetrics {
    static final String METER = "keel.api.requests";
    static final String UNMATCHED = "unmatched";
    private static final String START_ATTRIBUTE = "keel.startNanos";
    private static final String ROUTE_ATTRIBUTE = "keel.route";

    private final MeterRegistry registry;

    RequestMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    void install(JavalinDefaultRouting router) {
        router.before(ctx -> ctx.attribute(START_ATTRIBUTE, System.nanoTime()));
        // After handlers also run when a handler threw, once the exception has been rendered, so
        // the status seen here is the one sent.
        router.after(this::record);
    }

    /** Called first by every route's handler; a route recorded here counts as matched. */
    static void markRoute(Context ctx, String template) {
        ctx.attribute(ROUTE_ATTRIBUTE, template);
    }

    static String routeOf(Context ctx) {
        String route = ctx.attribute(ROUTE_ATTRIBUTE);
        return route == null ? UNMATCHED : route;
    }

    private void record(Context ctx) {
        Long start = ctx.attribute(START_ATTRIBUTE);
        if (start == null) {
            return;
        }
        Timer.builder(METER)
                .description("HTTP requests served by the Keel API")
                .tag("method", ctx.method().name())
                .tag("route", routeOf(ctx))
                .tag("status", Integer.toString(ctx.statusCode()))
                .register(registry)
                .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }
}
