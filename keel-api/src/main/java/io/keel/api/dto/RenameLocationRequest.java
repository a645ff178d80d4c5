package io.keel.api.dto;

public record RenameLocationRequest(String name) {}
