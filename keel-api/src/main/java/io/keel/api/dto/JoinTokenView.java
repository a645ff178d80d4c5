package io.keel.api.dto;

import java.time.Instant;

/** {@code managementAddress} is host:port of the management node's API, for {@code --join}. */
public record JoinTokenView(String token, long generation, Instant expiresAt, String managementAddress) {}
