package io.keel.api.dto;

public record PeerView(String nodeId, String address, int apiPort, int raftPort) {}
