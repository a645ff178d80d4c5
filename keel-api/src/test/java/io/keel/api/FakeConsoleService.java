package io.keel.api;

import io.keel.api.console.ConsoleKind;
import io.keel.api.console.ConsoleService;
import io.keel.api.console.ConsoleTarget;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** VMs by name: a target per console kind, or stopped. */
final class FakeConsoleService implements ConsoleService {
    final Map<String, Map<ConsoleKind, ConsoleTarget>> vms = new ConcurrentHashMap<>();
    final Map<String, Boolean> stopped = new ConcurrentHashMap<>();

    FakeConsoleService vm(String name, ConsoleKind kind, ConsoleTarget target) {
        vms.computeIfAbsent(name, n -> new ConcurrentHashMap<>()).put(kind, target);
        return this;
    }

    @Override
    public ConsoleTarget locate(String vm, ConsoleKind kind) {
        Map<ConsoleKind, ConsoleTarget> consoles = vms.get(vm);
        if (consoles == null && !stopped.containsKey(vm)) {
            throw ApiException.notFound("no VM named " + vm);
        }
        if (stopped.containsKey(vm)) {
            throw ApiException.conflict("VM " + vm + " is not running");
        }
        ConsoleTarget target = consoles.get(kind);
        if (target == null) {
            throw ApiException.conflict("VM " + vm + " has no display");
        }
        return target;
    }
}
