package io.keel.api.dto;

/** Body of {@code POST /api/v1/vms/{vm}/console}: which console, {@code serial} or {@code vnc}. */
public record ConsoleTicketRequest(String kind) {}
