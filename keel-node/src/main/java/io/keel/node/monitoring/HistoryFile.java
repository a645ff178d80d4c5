package io.keel.node.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keel.api.dto.MonitoringPointView;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitoring history on disk, so a restart keeps it: gzipped JSON, one array of numbers per
 * point (a week of points is a few hundred kilobytes before compression). Written to a temporary
 * file, synced and renamed over the old one, so a crash leaves the old or the new file, never half
 * of one; a file that cannot be read is logged and ignored, and the next save replaces it.
 */
public final class HistoryFile {
    private static final Logger log = LoggerFactory.getLogger(HistoryFile.class);
    static final int VERSION = 2;
    /** Numbers per point by file version: version 1 had no rebuild and S3 rates (read as 0). */
    private static final int FIELDS_V1 = 11;
    private static final int FIELDS = 15;

    private final Path path;
    private final ObjectMapper json = new ObjectMapper();

    public HistoryFile(Path path) {
        this.path = Objects.requireNonNull(path, "path");
    }

    public Path path() {
        return path;
    }

    /** The stored history; empty when there is none or it cannot be read. */
    public Optional<MonitoringHistory.Snapshot> load() {
        if (!Files.exists(path)) {
            return Optional.empty();
        }
        try (InputStream in = new GZIPInputStream(Files.newInputStream(path))) {
            JsonNode doc = json.readTree(in);
            int version = doc == null ? 0 : doc.path("version").asInt();
            if (version != 1 && version != VERSION) {
                throw new IOException("not a version 1 or " + VERSION + " monitoring history");
            }
            int fields = version == 1 ? FIELDS_V1 : FIELDS;
            return Optional.of(new MonitoringHistory.Snapshot(points(doc.get("fine"), fields),
                    points(doc.get("coarse"), fields)));
        } catch (IOException | RuntimeException e) {
            log.warn("ignoring the monitoring history in {}: cannot read it ({}); it starts afresh", path,
                    e.getMessage());
            return Optional.empty();
        }
    }

    public void save(MonitoringHistory.Snapshot snapshot) throws IOException {
        Objects.requireNonNull(snapshot, "snapshot");
        ObjectNode doc = json.createObjectNode();
        doc.put("version", VERSION);
        doc.set("fine", array(snapshot.fine()));
        doc.set("coarse", array(snapshot.coarse()));
        Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
        try (FileOutputStream file = new FileOutputStream(tmp.toFile())) {
            GZIPOutputStream gz = new GZIPOutputStream(file);
            json.writeValue(new NonClosing(gz), doc);
            // finish, not close: closing would close the file before its bytes are synced.
            gz.finish();
            file.getFD().sync();
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private ArrayNode array(List<MonitoringPointView> points) {
        ArrayNode a = json.createArrayNode();
        for (MonitoringPointView p : points) {
            a.addArray().add(p.t().getEpochSecond()).add(p.readOps()).add(p.writeOps()).add(p.readBytes())
                    .add(p.writeBytes()).add(p.chunkServicesUp()).add(p.chunkServicesTotal())
                    .add(p.physicalUsedBytes()).add(p.physicalTotalBytes()).add(p.logicalUsedBytes())
                    .add(p.logicalProvisionedBytes()).add(p.rebuildBytes()).add(p.s3Requests()).add(p.s3BytesIn())
                    .add(p.s3BytesOut());
        }
        return a;
    }

    private static List<MonitoringPointView> points(JsonNode a, int fields) throws IOException {
        if (a == null || !a.isArray()) {
            throw new IOException("a list of points is missing");
        }
        List<MonitoringPointView> out = new ArrayList<>(a.size());
        Instant last = Instant.MIN;
        for (JsonNode p : a) {
            if (!p.isArray() || p.size() != fields) {
                throw new IOException("a point is not " + fields + " numbers");
            }
            for (JsonNode v : p) {
                if (!v.isNumber()) {
                    throw new IOException("a point holds something other than numbers");
                }
            }
            Instant t = Instant.ofEpochSecond(p.get(0).asLong());
            if (!t.isAfter(last)) {
                throw new IOException("points are out of order");
            }
            last = t;
            out.add(new MonitoringPointView(t, p.get(1).asDouble(), p.get(2).asDouble(), p.get(3).asDouble(),
                    p.get(4).asDouble(), p.get(5).asInt(), p.get(6).asInt(), p.get(7).asLong(), p.get(8).asLong(),
                    p.get(9).asLong(), p.get(10).asLong(), extra(p, 11), extra(p, 12), extra(p, 13), extra(p, 14)));
        }
        return out;
    }

    private static double extra(JsonNode p, int i) {
        return i < p.size() ? p.get(i).asDouble() : 0;
    }

    /** Jackson closes what it writes to; the gzip trailer must still be written after it. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
