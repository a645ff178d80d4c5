package io.keel.api.dto;

import java.util.List;

/**
 * The history of one range, oldest point first. {@code missingNodes} names the nodes whose share
 * is not in the sums because they did not answer in time.
 */
public record MonitoringHistoryView(String range, int stepSeconds, List<MonitoringPointView> points,
        List<String> missingNodes) {
    public MonitoringHistoryView {
        points = List.copyOf(points);
        missingNodes = List.copyOf(missingNodes);
    }
}
