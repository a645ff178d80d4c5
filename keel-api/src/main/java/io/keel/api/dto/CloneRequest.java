package io.keel.api.dto;

/** A clone's volume name, and its storage policy (null keeps the snapshot's). */
public record CloneRequest(String name, String policy) {}
