package io.keel.api.dto;

public record RenameVmRequest(String name) {}
