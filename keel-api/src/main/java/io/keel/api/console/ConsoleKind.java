package io.keel.api.console;

import java.util.Locale;
import java.util.Optional;

/** Which console of a VM: its serial port (text, for xterm.js) or its display over VNC (RFB, for noVNC). */
public enum ConsoleKind {
    SERIAL,
    VNC;

    /** The name in paths and JSON: {@code serial} or {@code vnc}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind named {@code name} on the wire, case-sensitively; empty for anything else. */
    public static Optional<ConsoleKind> fromWire(String name) {
        for (ConsoleKind k : values()) {
            if (k.wireName().equals(name)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}
