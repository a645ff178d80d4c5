package io.keel.api.dto;

/** {@code type} is room, row or rack; {@code parent} is the id of the room (for a row) or row (for a rack). */
public record CreateLocationRequest(String type, String name, String parent) {}
