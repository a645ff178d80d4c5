package io.keel.api.dto;

/** {@code rack} is the id of the rack the node moves into. */
public record MoveNodeRequest(String rack) {}
