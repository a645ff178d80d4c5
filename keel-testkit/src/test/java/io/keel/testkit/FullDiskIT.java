package io.keel.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.node.embedded.ApiSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk with a real node process and a real NBD client (qemu-io): the node's disks are
 * given a reserve that leaves about 40 MiB for data, a larger write fails with ENOSPC, and what
 * was written before reads back intact. The node's disks directory is a tmpfs of its own, so the
 * reserve, computed from the free space, is upset neither by whatever else writes or deletes
 * files on the machine meanwhile (it was, when builds ran alongside) nor by the node's metadata.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class FullDiskIT {
    private static final long MIB = 1 << 20;

    @TempDir
    static Path dir;

    static LocalCluster cluster;
    static ApiSession api;
    static Path mounted;

    @BeforeAll
    static void up() throws Exception {
        cluster = LocalCluster.start(dir, 1, "3s");
        cluster.kill9(1);
        // The chunk store's disks only: the metadata beside them grows by tens of MiB when the node
        // starts again, which would eat the 40 MiB before the test wrote a byte.
        Path disks = cluster.node(1).dir().resolve("disks");
        Path aside = dir.resolve("node1-disks-aside");
        Files.move(disks, aside);
        Files.createDirectories(disks);
        VmTestBed.run("mount", "-t", "tmpfs", "-o", "size=256m", "keel-full-disk-it", disks.toString());
        mounted = disks;
        VmTestBed.run("cp", "-a", aside + "/.", disks.toString());
        // Later runs keep an administrator's edits of node.yaml: leave ~40 MiB above the reserve.
        Path yaml = cluster.node(1).configFile();
        long reserve = Files.getFileStore(disks).getUsableSpace() - 40 * MIB;
        Files.writeString(yaml, Files.readString(yaml).replace("storage:\n", "storage:\n  diskReserve: " + reserve + "\n"));
        cluster.restart(1);
        api = cluster.api(1);
        ApiSession.Reply p = api.post("/api/v1/policies", Map.of("name", "one", "replicas", 1));
        assertThat(p.status()).as(p.message()).isEqualTo(201);
        ApiSession.Reply v = api.post("/api/v1/volumes",
                Map.of("name", "full", "size", "512M", "policy", "one", "chunkSize", "4M"));
        assertThat(v.status()).as(v.message()).isEqualTo(201);
    }

    @AfterAll
    static void down() throws IOException, InterruptedException {
        try {
            if (cluster != null) {
                cluster.close("FullDiskIT");
            }
        } finally {
            if (mounted != null) {
                VmTestBed.run("umount", "-l", mounted.toString());
            }
        }
    }

    @Test
    void writesBeyondTheSpaceFailWithEnospcAndEarlierDataIsIntact() throws Exception {
        Result first = qemuIo("write -P 0x11 0 8M");
        assertThat(first.exit()).as(first.output()).isZero();

        Result full = qemuIo("write -P 0x22 64M 256M");
        assertThat(full.output()).as("qemu-io says").contains("No space left on device");

        Result intact = qemuIo("read -P 0x11 0 8M");
        assertThat(intact.exit()).as(intact.output()).isZero();
        assertThat(intact.output()).doesNotContain("Pattern verification failed");
        assertThat(api.get("/api/v1/volumes/full").status()).isEqualTo(200);
    }

    record Result(int exit, String output) {}

    private static Result qemuIo(String command) throws Exception {
        Path out = Files.createTempFile(dir, "qemu-io", ".out");
        String uri = "nbd://127.0.0.1:" + cluster.node(1).nbdPort() + "/full";
        Process p = new ProcessBuilder(List.of("qemu-io", "-f", "raw", "-c", command, uri)).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("qemu-io " + command + " timed out: " + Files.readString(out));
        }
        return new Result(p.exitValue(), Files.readString(out));
    }
}
