package io.keel.node.monitoring;

import static io.keel.node.monitoring.MonitoringHistoryTest.T0;
import static io.keel.node.monitoring.MonitoringHistoryTest.point;
import static org.assertj.core.api.Assertions.assertThat;

import io.keel.api.MonitoringRange;
import io.keel.api.dto.MonitoringPointView;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The history's file: a restart reads back what was saved, and a bad file is ignored. */
class HistoryFileTest {
    @TempDir
    Path dir;

    @Test
    void whatIsSavedIsReadBackAndTheHistoryGoesOn() throws IOException {
        MonitoringHistory h = new MonitoringHistory();
        for (int i = 0; i < 40; i++) {
            h.add(new MonitoringPointView(T0.plusSeconds(10L * i), i + 0.25, 1, 2.5, 3, 2, 3, 1L << 40, 1L << 41, 7, 9, 4.5, 5, 6, 7));
        }
        new HistoryFile(dir.resolve(NodeMonitoring.FILE_NAME)).save(h.snapshot());

        NodeMonitoring after = NodeMonitoring.open(dir);
        assertThat(after.history().snapshot()).isEqualTo(h.snapshot());
        assertThat(after.history().snapshot().coarse()).hasSize(1);
        assertThat(after.history().points(MonitoringRange.H1, T0.plusSeconds(400))).hasSize(40);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(NodeMonitoring.FILE_NAME);
        }
    }

    @Test
    void aVersionOneFileReadsWithoutRebuildAndS3Rates() throws IOException {
        Path file = dir.resolve(NodeMonitoring.FILE_NAME);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write("{\"version\":1,\"fine\":[[10,1.5,2,3,4,5,6,7,8,9,10]],\"coarse\":[]}"
                    .getBytes(StandardCharsets.UTF_8));
        }
        MonitoringPointView p = new HistoryFile(file).load().orElseThrow().fine().getFirst();
        assertThat(p).isEqualTo(new MonitoringPointView(Instant.ofEpochSecond(10), 1.5, 2, 3, 4, 5, 6, 7, 8, 9, 10,
                0, 0, 0, 0));
    }

    @Test
    void closingSavesAndASaveReplacesTheOldFile() {
        NodeMonitoring m = NodeMonitoring.open(dir);
        m.history().add(point(T0, 1, 3));
        m.close();
        m.history().add(point(T0.plusSeconds(10), 2, 3));
        m.close();
        assertThat(NodeMonitoring.open(dir).history().snapshot().fine()).extracting(MonitoringPointView::readOps)
                .containsExactly(1.0, 2.0);
    }

    @Test
    void aCorruptFileIsIgnored() throws IOException {
        Path file = dir.resolve(NodeMonitoring.FILE_NAME);
        Files.writeString(file, "not gzip at all");
        assertThat(new HistoryFile(file).load()).isEmpty();
        for (String json : List.of("{\"version\":3,\"fine\":[],\"coarse\":[]}",
                "{\"version\":2,\"fine\":[[1,0,0,0,0,0,0,0,0,0,0]],\"coarse\":[]}", "{\"version\":1,\"fine\":[]}",
                "{\"version\":1,\"fine\":[[1,2,3]],\"coarse\":[]}",
                "{\"version\":1,\"fine\":[[1,0,0,0,0,0,0,0,0,0,\"x\"]],\"coarse\":[]}",
                "{\"version\":1,\"fine\":[[2,0,0,0,0,0,0,0,0,0,0],[1,0,0,0,0,0,0,0,0,0,0]],\"coarse\":[]}", "[")) {
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
                out.write(json.getBytes(StandardCharsets.UTF_8));
            }
            assertThat(new HistoryFile(file).load()).as(json).isEmpty();
        }
        NodeMonitoring m = NodeMonitoring.open(dir);
        assertThat(m.history().snapshot().fine()).isEmpty();
        m.history().add(point(T0, 1, 3));
        m.save();
        assertThat(new HistoryFile(file).load()).isPresent();
    }
}
