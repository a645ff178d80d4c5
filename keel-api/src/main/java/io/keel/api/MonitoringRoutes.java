package io.keel.api;

import static io.javalin.http.HandlerType.GET;

import java.util.List;
import java.util.Objects;

/**
 * The dashboard's history, the storage's health and rebuild progress, and the node-to-node routes
 * they are gathered through (ADR 0053).
 */
final class MonitoringRoutes {
    static final String SAMPLES_PATH = "/api/v1/internal/monitoring/samples";
    static final String REBUILD_PATH = "/api/v1/internal/storage/rebuild";

    private final MonitoringService monitoring;
    private final Json json;

    MonitoringRoutes(MonitoringService monitoring, Json json) {
        this.monitoring = Objects.requireNonNull(monitoring, "monitoring");
        this.json = Objects.requireNonNull(json, "json");
    }

    void addRoutes(List<Route> routes) {
        routes.add(new Route(GET, "/api/v1/monitoring/history", Access.SESSION, ctx -> json.write(ctx, 200,
                monitoring.history(MonitoringRange.parse(ctx.queryParam("range"))))));
        routes.add(new Route(GET, SAMPLES_PATH, Access.NODE, ctx -> json.write(ctx, 200,
                monitoring.localSamples(MonitoringRange.parse(ctx.queryParam("range"))))));
        routes.add(new Route(GET, "/api/v1/storage/health", Access.SESSION, ctx -> json.write(ctx, 200,
                monitoring.storageHealth())));
        routes.add(new Route(GET, REBUILD_PATH, Access.NODE, ctx -> json.write(ctx, 200, monitoring.localRebuild())));
    }
}
