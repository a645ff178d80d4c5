package io.keel.block.nbd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.keel.block.BlockExports;
import io.keel.block.DirectoryExports;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interoperability with real NBD clients: libnbd's nbdinfo and nbdcopy, QEMU's qemu-img and qemu-io.
 * Each test skips when its client is not installed (Debian: {@code apt-get install libnbd-bin
 * qemu-utils}); on a machine that has them they must pass.
 */
class RealClientsTest {
    private static final int SIZE = 16 << 20;

    @TempDir
    static Path dir;

    private static NbdServer server;

    @BeforeAll
    static void start() throws IOException {
        for (String name : List.of("disk", "copy", "qemu", "ro", "leased")) {
            try (var f = java.nio.channels.FileChannel.open(dir.resolve(name),
                    java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
                f.truncate(SIZE);
                f.write(java.nio.ByteBuffer.allocate(1), SIZE - 1);
            }
        }
        DirectoryExports files = new DirectoryExports(dir, Set.of("ro"));
        BlockExports exports = new LeasedExports(files);
        server = NbdServer.start("127.0.0.1", 0, exports);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static String uri(String export) {
        return "nbd://127.0.0.1:" + server.port() + "/" + export;
    }

    @Test
    void nbdinfoReportsSizeAndFeatures() throws Exception {
        Result r = run("nbdinfo", "--json", uri("disk"));
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(jsonNumber(r.output(), "export-size")).as(r.output()).isEqualTo(SIZE);
        assertThat(r.output()).contains("\"can_flush\": true", "\"can_fua\": true", "\"can_trim\": true",
                "\"can_zero\": true", "\"can_multi_conn\": true", "\"is_read_only\": false",
                "\"block_size_maximum\": 33554432");
        Result ro = run("nbdinfo", "--json", uri("ro"));
        assertThat(ro.output()).as(ro.output()).contains("\"is_read_only\": true");
    }

    @Test
    void nbdinfoListsEveryExportEvenOneLeasedElsewhere() throws Exception {
        // nbdinfo --list asks NBD_OPT_INFO of every export and exits non-zero if one refuses.
        Result all = run("nbdinfo", "--list", "--json", "nbd://127.0.0.1:" + server.port());
        assertThat(all.exit()).as(all.output()).isZero();
        assertThat(all.output()).contains("\"export-name\": \"leased\"", "\"export-name\": \"disk\"",
                "\"export-name\": \"ro\"");
        assertThat(jsonNumber(all.output(), "export-size")).isEqualTo(SIZE);
    }

    @Test
    void nbdinfoListsExports() throws Exception {
        Path sub = Files.createDirectories(dir.resolve("listed"));
        Files.write(sub.resolve("a"), new byte[4096]);
        Files.write(sub.resolve("b"), new byte[8192]);
        try (NbdServer listed = NbdServer.start("127.0.0.1", 0, new DirectoryExports(sub, Set.of("b")))) {
            Result list = run("nbdinfo", "--list", "--json", "nbd://127.0.0.1:" + listed.port());
            assertThat(list.exit()).as(list.output()).isZero();
            assertThat(list.output()).contains("\"export-name\": \"a\"", "\"export-name\": \"b\"",
                    "\"description\": \"file b, 8192 bytes, read-only\"", "\"export-size\": 8192");
        }
    }

    @Test
    void nbdcopyRoundTripsEightMebibytes() throws Exception {
        byte[] data = new byte[8 << 20];
        new Random(5).nextBytes(data);
        Path in = dir.resolve("in.bin");
        Files.write(in, data);
        // Default settings: several connections (we advertise multi-conn) and many requests in flight.
        Result up = run("nbdcopy", in.toString(), uri("copy"));
        assertThat(up.exit()).as(up.output()).isZero();
        assertThat(Arrays.copyOf(Files.readAllBytes(dir.resolve("copy")), data.length)).isEqualTo(data);

        Path out = dir.resolve("out.bin");
        Result down = run("nbdcopy", "--connections=1", uri("copy"), out.toString());
        assertThat(down.exit()).as(down.output()).isZero();
        byte[] back = Files.readAllBytes(out);
        assertThat(back).hasSize(SIZE);
        assertThat(Arrays.copyOf(back, data.length)).isEqualTo(data);
    }

    @Test
    void qemuImgConvertReadsTheWholeExport() throws Exception {
        byte[] head = new byte[3 << 20];
        new Random(6).nextBytes(head);
        try (var f = java.nio.channels.FileChannel.open(dir.resolve("disk"), java.nio.file.StandardOpenOption.WRITE)) {
            f.write(java.nio.ByteBuffer.wrap(head), 5 << 20);
        }
        Path out = dir.resolve("converted.raw");
        Result r = run("qemu-img", "convert", "-f", "raw", "-O", "raw", uri("disk"), out.toString());
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(Files.mismatch(out, dir.resolve("disk"))).isEqualTo(-1L);
    }

    @Test
    void qemuIoWritesAndReadsBackAPattern() throws Exception {
        Result r = run("qemu-io", "-f", "raw", "-c", "write -P 0xab 0 1M", "-c", "read -P 0xab 0 1M",
                "-c", "write -z 2M 1M", "-c", "flush", uri("qemu"));
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("wrote 1048576/1048576 bytes at offset 0")
                .contains("read 1048576/1048576 bytes at offset 0").doesNotContain("Pattern verification failed");
        byte[] file = Files.readAllBytes(dir.resolve("qemu"));
        byte[] expected = new byte[1 << 20];
        Arrays.fill(expected, (byte) 0xab);
        assertThat(Arrays.copyOf(file, 1 << 20)).isEqualTo(expected);
    }

    @Test
    void writesToAReadOnlyExportFail() throws Exception {
        Result qemu = run("qemu-io", "-f", "raw", "-c", "write -P 0xcd 0 64k", uri("ro"));
        assertThat(qemu.exit()).as(qemu.output()).isNotZero();
        assertThat(qemu.output()).containsAnyOf("read-only", "Permission denied");
        Path src = dir.resolve("src.bin");
        Files.write(src, new byte[1 << 20]);
        Result copy = run("nbdcopy", src.toString(), uri("ro"));
        assertThat(copy.exit()).as(copy.output()).isNotZero();
        assertThat(copy.output()).contains("read-only");
        byte[] head = Arrays.copyOf(Files.readAllBytes(dir.resolve("ro")), 64 << 10);
        assertThat(head).containsOnly(0);
    }

    @Test
    void aRefusedWriteOpenShowsTheReasonToQemu() throws Exception {
        Result r = run("qemu-img", "info", uri("leased"));
        assertThat(r.exit()).as(r.output()).isNotZero();
        assertThat(r.output()).contains("write lease held by node-7");
    }

    private record Result(int exit, String output) {}

    private static Result run(String... command) throws IOException, InterruptedException {
        assumeTrue(onPath(command[0]), command[0] + " is not installed (apt-get install libnbd-bin qemu-utils); skipping");
        Path log = Files.createTempFile(dir, command[0], ".log");
        Process p = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            throw new AssertionError(String.join(" ", command) + " timed out:\n" + Files.readString(log));
        }
        return new Result(p.exitValue(), String.join(" ", command) + "\n" + Files.readString(log));
    }

    private static boolean onPath(String binary) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String d : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, binary))) {
                return true;
            }
        }
        return false;
    }

    private static long jsonNumber(String json, String key) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:\\s*(\\d+)").matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }
}
