package io.keel.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.node.embedded.ApiSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * What the volume integration tests do with NBD exports and the volume API: export URIs, random
 * files, nbdcopy runs, byte-exact comparisons and the lease holder and health of a volume.
 */
final class NbdVolumes {
    private final LocalCluster cluster;
    private final ApiSession api;
    private final Path dir;

    NbdVolumes(LocalCluster cluster, ApiSession api, Path dir) {
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.api = Objects.requireNonNull(api, "api");
        this.dir = Objects.requireNonNull(dir, "dir");
    }

    String nbd(int node, String export) {
        return "nbd://127.0.0.1:" + cluster.node(node).nbdPort() + "/" + export;
    }

    Path randomFile(String name, int size, long seed) throws IOException {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        Path p = dir.resolve(name);
        Files.write(p, b);
        return p;
    }

    static void assertSamePrefix(Path expected, Path actual) throws IOException {
        byte[] e = Files.readAllBytes(expected);
        byte[] a = Files.readAllBytes(actual);
        assertThat(a.length).isGreaterThanOrEqualTo(e.length);
        assertThat(Arrays.mismatch(e, Arrays.copyOf(a, e.length))).as("first differing byte").isEqualTo(-1);
    }

    void run(String... cmd) throws Exception {
        Path out = Files.createTempFile(dir, "cmd", ".out");
        Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " timed out: " + Files.readString(out));
        }
        assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + Files.readString(out)).isZero();
    }

    /** Whether {@code cmd} exits 0 within 90 s; for polling a command that may fail for a while. */
    boolean succeeds(String... cmd) {
        try {
            Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The node holding the volume's write lease, null when none (or the API did not answer). */
    String writerOf(String volume) {
        try {
            JsonNode h = api.get("/api/v1/volumes/" + volume).body().path("leaseHolder");
            return h.isNull() || h.isMissingNode() ? null : h.asText();
        } catch (IOException e) {
            return null;
        }
    }

    String health(String volume) {
        try {
            return api.get("/api/v1/volumes/" + volume).body().path("health").asText();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
