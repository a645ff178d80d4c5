package io.keel.api.console;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** The console URLs, with the VM's name percent-encoded as one path segment. */
public final class ConsolePaths {
    private ConsolePaths() {}

    /** Where an operator's WebSocket attaches. */
    public static String operator(String vm, ConsoleKind kind) {
        return "/api/v1/vms/" + segment(vm) + "/console/" + kind.wireName();
    }

    /** Where another node's WebSocket attaches, with its node credential. */
    public static String internal(String vm, ConsoleKind kind) {
        return "/api/v1/internal/vms/" + segment(vm) + "/console/" + kind.wireName();
    }

    /** Where tickets are issued. */
    public static String tickets(String vm) {
        return "/api/v1/vms/" + segment(vm) + "/console";
    }

    static String segment(String value) {
        Objects.requireNonNull(value, "value");
        // URLEncoder writes form encoding; a path segment wants %20 for a blank.
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
