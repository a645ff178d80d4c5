package io.keel.api;

import java.lang.reflect.Proxy;
import java.util.Objects;

/**
 * A service of a node that does not serve it: every call throws 503 unavailable with one message,
 * so the routes exist and are documented while the answer says plainly why nothing happened. One
 * proxy instead of a class per service whose every method throws the same thing.
 */
final class Unserved {
    private Unserved() {}

    static <T> T service(Class<T> type, String message) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(message, "message");
        Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (self, method, args) ->
                switch (method.getName()) {
                    case "toString" -> "Unserved " + type.getSimpleName();
                    case "hashCode" -> System.identityHashCode(self);
                    case "equals" -> self == args[0];
                    default -> throw new ApiException(503, "unavailable", message);
                });
        return type.cast(proxy);
    }
}
