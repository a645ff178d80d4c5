package io.keel.api.dto;

import java.time.Instant;

/** A virtual network: {@code type} bridge or nat, the nodes' {@code bridge} (bridge only), NICs on it. */
public record NetworkView(String name, String type, String bridge, int nics, Instant createdAt) {}
