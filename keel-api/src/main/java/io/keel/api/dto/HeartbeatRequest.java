package io.keel.api.dto;

/**
 * One node's heartbeat to another.
 *
 * @param haActing false while the sender's HA local resource manager does not act on the status
 *                 (cut off, or its metadata replica still catching up, ADR 0031), so the manager
 *                 places nothing new on it; null when it acts. Sent only when false: a node of an
 *                 earlier version refuses unknown fields, and then misses only those heartbeats.
 */
public record HeartbeatRequest(String nodeId, long sentAtMillis, Boolean haActing) {}
