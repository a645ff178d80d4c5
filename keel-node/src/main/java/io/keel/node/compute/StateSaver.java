package io.keel.node.compute;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keel.block.BlockDevice;
import io.keel.compute.qmp.QmpClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * Saves a QEMU's machine state into a volume through its migration stream (ADR 0021), for a
 * suspend and for a memory snapshot (ADR 0024): QMP {@code migrate} to a Unix socket the agent
 * listens on, the stream copied into the volume, flushed. The caller stops the vCPUs first and
 * decides what follows (QEMU quits after a suspend; the guest continues after a snapshot).
 */
final class StateSaver {
    private static final Duration POLL = Duration.ofMillis(50);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(1);
    /** QEMU's default of 32 MiB/s would make a big guest's save take minutes; the disk is the limit here. */
    private static final long MAX_BANDWIDTH = 8L << 30;

    private StateSaver() {}

    /**
     * Writes the state into {@code dev} from offset 0 and returns its length. On failure the caller
     * cancels the migration ({@code migrate_cancel}) and resumes the guest if it ran.
     *
     * @param progress told the bytes written so far, about once a second
     */
    static long save(QmpClient qmp, BlockDevice dev, Path socket, LongConsumer progress)
            throws IOException, InterruptedException {
        cancelLeftover(qmp);
        ObjectNode params = qmp.arguments();
        params.put("max-bandwidth", MAX_BANDWIDTH);
        qmp.execute("migrate-set-parameters", params, Duration.ofSeconds(5));
        try (StateStream.Receiver in = StateStream.receive(socket, dev)) {
            ObjectNode args = qmp.arguments();
            args.put("uri", "unix:" + in.socket());
            qmp.execute("migrate", args, Duration.ofSeconds(10));
            awaitSave(qmp, in, progress);
            long bytes = in.await(VmSuspender.STALL);
            dev.flush();
            return bytes;
        }
    }

    /** Polls QEMU until the stream is out. */
    private static void awaitSave(QmpClient qmp, StateStream.Receiver in, LongConsumer progress)
            throws IOException, InterruptedException {
        long lastBytes = -1;
        long lastMove = System.nanoTime();
        long lastReport = System.nanoTime();
        while (true) {
            JsonNode info = qmp.execute("query-migrate");
            String status = info.path("status").asText("none");
            if ("completed".equals(status)) {
                return;
            }
            if ("failed".equals(status) || "cancelled".equals(status)) {
                throw new IOException("QEMU's save " + status + ": " + info.path("error-desc").asText("no reason"));
            }
            Optional<IOException> broken = in.failure();
            if (broken.isPresent()) {
                throw new IOException(broken.get().getMessage(), broken.get());
            }
            long now = System.nanoTime();
            long bytes = in.bytes();
            if (bytes != lastBytes) {
                lastBytes = bytes;
                lastMove = now;
            } else if (now - lastMove > VmSuspender.STALL.toNanos()) {
                throw new IOException("no state was saved for " + VmSuspender.STALL.toSeconds() + " s");
            }
            if (now - lastReport >= PROGRESS_EVERY.toNanos()) {
                lastReport = now;
                progress.accept(bytes);
            }
            Thread.sleep(POLL);
        }
    }

    /** An agent restarted during a save finds QEMU still migrating to a socket nobody reads: start over. */
    private static void cancelLeftover(QmpClient qmp) throws IOException, InterruptedException {
        String status = qmp.execute("query-migrate").path("status").asText("none");
        if (!"active".equals(status) && !"setup".equals(status) && !"device".equals(status)) {
            return;
        }
        qmp.execute("migrate_cancel");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            status = qmp.execute("query-migrate").path("status").asText("none");
            if (!"active".equals(status) && !"cancelling".equals(status) && !"setup".equals(status)) {
                return;
            }
            Thread.sleep(POLL);
        }
        throw new IOException("an earlier save did not cancel within 10 s");
    }
}
