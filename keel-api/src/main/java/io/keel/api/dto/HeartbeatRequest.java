package io.keel.api.dto;

public record HeartbeatRequest(String nodeId, long sentAtMillis) {}
