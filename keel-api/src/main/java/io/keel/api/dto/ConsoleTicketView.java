package io.keel.api.dto;

import java.time.Instant;

/**
 * A single-use console ticket: open a WebSocket to {@code path} with {@code ?ticket=} before
 * {@code expiresAt}, on the node that issued it.
 */
public record ConsoleTicketView(String ticket, String vm, String kind, Instant expiresAt, String path) {
    @Override
    public String toString() {
        return "ConsoleTicketView[vm=" + vm + ", kind=" + kind + ", expiresAt=" + expiresAt + "]";
    }
}
