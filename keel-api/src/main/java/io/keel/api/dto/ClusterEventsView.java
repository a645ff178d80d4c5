package io.keel.api.dto;

import java.util.List;

/** The newest cluster events, oldest first (newest last). */
public record ClusterEventsView(List<ClusterEventView> events) {}
