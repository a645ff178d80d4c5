package io.keel.meta.cluster;

import io.keel.ha.LrmReport;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** One node's latest HA report per resource id. */
public record HaReports(String nodeId, Map<String, LrmReport> reports) {
    public HaReports {
        Objects.requireNonNull(nodeId, "nodeId");
        reports = Map.copyOf(Objects.requireNonNull(reports, "reports"));
    }

    HaReports with(Iterable<LrmReport> more) {
        TreeMap<String, LrmReport> all = new TreeMap<>(reports);
        more.forEach(r -> all.put(r.resource(), r));
        return new HaReports(nodeId, all);
    }
}
