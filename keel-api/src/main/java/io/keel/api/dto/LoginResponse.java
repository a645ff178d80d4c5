package io.keel.api.dto;

import java.time.Instant;

public record LoginResponse(String token, String username, Instant expiresAt) {
    @Override
    public String toString() {
        return "LoginResponse[username=" + username + ", expiresAt=" + expiresAt + "]";
    }
}
