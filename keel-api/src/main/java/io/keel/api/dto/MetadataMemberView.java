package io.keel.api.dto;

public record MetadataMemberView(String nodeId, String name, String address, int raftPort, boolean up) {}
