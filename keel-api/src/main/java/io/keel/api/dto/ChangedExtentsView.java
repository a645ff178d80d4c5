package io.keel.api.dto;

import java.util.List;

/**
 * The byte ranges of {@code to} (a snapshot name, or the volume's name) whose content may differ
 * from snapshot {@code from} (null: from an empty volume, so every allocated range). Ranges are
 * whole chunks of {@code chunkSizeBytes}, clipped to the size of {@code to}, sorted and merged;
 * {@code changedBytes} is their total.
 */
public record ChangedExtentsView(String from, String to, int chunkSizeBytes, List<ExtentView> extents,
        long changedBytes) {
    public ChangedExtentsView {
        extents = extents == null ? List.of() : List.copyOf(extents);
    }
}
