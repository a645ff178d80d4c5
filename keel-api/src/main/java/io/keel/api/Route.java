package io.keel.api;

import io.javalin.http.HandlerType;
import io.javalin.http.Handler;
import java.util.Objects;

/**
 * One row of the route table. {@code path} uses Javalin's {@code {param}} syntax, which is also
 * OpenAPI's, so the table and the OpenAPI document compare verbatim. {@code handler} is the bare
 * handler; access checks are applied when the route is registered.
 */
public record Route(HandlerType method, String path, Access access, Handler handler) {
    public Route {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(handler, "handler");
    }

    @Override
    public String toString() {
        return method + " " + path + " (" + access + ")";
    }
}
