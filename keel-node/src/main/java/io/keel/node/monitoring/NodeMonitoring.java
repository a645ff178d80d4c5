package io.keel.node.monitoring;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's monitoring history with its file (ADR 0053): read back at start, sampled every
 * {@link #SAMPLE_EVERY}, written every {@link #SAVE_EVERY} and when the node stops.
 */
public final class NodeMonitoring implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeMonitoring.class);
    public static final java.time.Duration SAMPLE_EVERY = java.time.Duration.ofSeconds(10);
    public static final java.time.Duration SAVE_EVERY = java.time.Duration.ofMinutes(5);
    public static final String FILE_NAME = "monitoring-history.json.gz";

    private final HistoryFile file;
    private final MonitoringHistory history;
    private final MonitoringSampler sampler = new MonitoringSampler();

    private NodeMonitoring(HistoryFile file, MonitoringHistory history) {
        this.file = file;
        this.history = history;
    }

    /** The history kept in {@code dataDir}, or an empty one when there is none or it is unreadable. */
    public static NodeMonitoring open(Path dataDir) {
        HistoryFile file = new HistoryFile(Objects.requireNonNull(dataDir, "dataDir").resolve(FILE_NAME));
        return new NodeMonitoring(file, file.load().map(MonitoringHistory::new).orElseGet(MonitoringHistory::new));
    }

    public MonitoringHistory history() {
        return history;
    }

    /** One sampling round: a reading, and the point it makes (none for the first). */
    public void sample(Supplier<MonitoringSampler.Reading> readings) {
        sampler.next(readings.get()).ifPresent(history::add);
    }

    /** Synchronized: the periodic save and the one at shutdown must not share the temporary file at once. */
    public synchronized void save() {
        try {
            file.save(history.snapshot());
        } catch (IOException e) {
            log.warn("cannot write the monitoring history to {}: {}", file.path(), e.getMessage());
        }
    }

    @Override
    public void close() {
        save();
    }
}
