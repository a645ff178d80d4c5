package io.keel.api.dto;

import java.time.Instant;

/**
 * One cluster event of the HA engine: {@code type} is the engine's event kind (NodeLost,
 * NodeFenced, ResourceRecovered, ...); {@code seconds} how long it took, for events that measure it.
 */
public record ClusterEventView(long seq, Instant at, String type, String text, Double seconds) {}
