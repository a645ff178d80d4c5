package io.keel.api.dto;

import java.util.List;

/** {@code type} is room, row or rack; {@code nodeIds} is set for racks. */
public record LocationView(String id, String type, String name, String parentId, List<String> nodeIds) {}
