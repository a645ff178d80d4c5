package io.keel.api.dto;

public record LocationRef(String roomId, String room, String rowId, String row, String rackId, String rack) {}
