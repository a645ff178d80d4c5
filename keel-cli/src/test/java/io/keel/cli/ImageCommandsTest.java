package io.keel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ImageCommandsTest extends CliTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String QUEUED = image("QUEUED", null, 0, 0, null);
    private static final String ACTIVE = image("ACTIVE", "qcow2", 1376256, 8388608, "image-debian");

    private static String image(String status, String format, long size, long virtual, String volume) {
        return """
                {"id":"i1","name":"debian","format":%s,"osType":"linux","shared":false,"status":"%s",
                 "statusReason":null,"sizeBytes":%d,"virtualSizeBytes":%d,"volumeId":null,"volume":%s,
                 "snapshotId":null,"snapshot":%s,"policy":"single","node":"node1",
                 "createdAt":"2026-11-22T12:00:00Z","updatedAt":"2026-11-22T12:00:00Z"}
                """.formatted(format == null ? "null" : "\"" + format + "\"", status, size, virtual,
                volume == null ? "null" : "\"" + volume + "\"", volume == null ? "null" : "\"golden\"");
    }

    @BeforeEach
    void session() throws Exception {
        loggedIn();
    }

    private Path file(String name, byte[] header, long offset, int size) throws Exception {
        // Letters: the fake API keeps bodies as text, so the bytes must survive decoding.
        byte[] data = new byte[size];
        Random random = new Random(3);
        for (int i = 0; i < size; i++) {
            data[i] = (byte) ('a' + random.nextInt(26));
        }
        System.arraycopy(header, 0, data, (int) offset, header.length);
        Path p = tmp.resolve(name);
        Files.write(p, data);
        return p;
    }

    @Test
    void uploadDetectsTheFormatCreatesTheImageAndStreamsTheFile() throws Exception {
        Path f = file("debian.qcow2", new byte[] {'Q', 'F', 'I', (byte) 0xfb}, 0, 300_000);
        api.on("POST", "/api/v1/images", 201, QUEUED).on("PUT", "/api/v1/images/i1/file", 200, ACTIVE);

        Result r = run("image", "upload", f.toString(), "--name", "debian", "--os-type", "linux");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("Image debian is ACTIVE: qcow2, 8.0 MiB disk, stored in volume image-debian.\n");
        assertThat(r.err()).startsWith("uploaded debian.qcow2: 293.0 KiB in 0.0 s");
        JsonNode create = JSON.readTree(api.requests().get(0).body());
        assertThat(create).isEqualTo(JSON.readTree("{\"name\":\"debian\",\"format\":\"qcow2\",\"osType\":\"linux\"}"));
        FakeApi.Request put = api.requests().get(1);
        assertThat(put.contentType()).isEqualTo("application/octet-stream");
        assertThat(put.body()).hasSize(300_000).endsWith(new String(Files.readAllBytes(f), StandardCharsets.UTF_8)
                .substring(4));
    }

    @Test
    void formatsAreReadFromTheHeader() throws Exception {
        assertThat(ImageFileFormat.detect(file("a", new byte[] {'Q', 'F', 'I', (byte) 0xfb}, 0, 100))).isEqualTo("qcow2");
        assertThat(ImageFileFormat.detect(file("b", "CD001".getBytes(), 32769, 40_000))).isEqualTo("iso");
        assertThat(ImageFileFormat.detect(file("c", new byte[0], 0, 40_000))).isEqualTo("raw");
        assertThat(ImageFileFormat.detect(file("d", new byte[0], 0, 2))).isEqualTo("raw");
    }

    @Test
    void aRefusedUploadSaysWhyAndForgetsTheImage() throws Exception {
        Path f = file("bad.qcow2", new byte[] {'Q', 'F', 'I', (byte) 0xfb}, 0, 1000);
        api.on("POST", "/api/v1/images", 201, QUEUED)
                .on("PUT", "/api/v1/images/i1/file", 400, "{\"code\":\"invalid\",\"message\":\"the qcow2 file is corrupt:"
                        + " qemu-img check found 16 corruption(s) and 0 error(s)\",\"details\":{}}")
                .on("DELETE", "/api/v1/images/i1", 204, "");

        Result r = run("image", "upload", f.toString(), "--name", "debian", "--format", "qcow2");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("the qcow2 file is corrupt: qemu-img check found 16 corruption(s)");
        assertThat(api.requests()).extracting(FakeApi.Request::method).containsExactly("POST", "PUT", "DELETE");
    }

    @Test
    void aNameClashSendsNoFile() throws Exception {
        Path f = file("x.raw", new byte[0], 0, 1000);
        api.on("POST", "/api/v1/images", 409, "{\"code\":\"conflict\",\"message\":\"an image named \\\"debian\\\""
                + " already exists\",\"details\":{}}");

        Result r = run("image", "upload", f.toString(), "--name", "debian");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("an image named \"debian\" already exists");
        assertThat(api.only().method()).isEqualTo("POST");
        assertThat(run("image", "upload", tmp.resolve("missing").toString(), "--name", "x").err())
                .contains("not a readable file");
    }

    @Test
    void listAndShow() {
        api.on("GET", "/api/v1/images", 200, "[" + ACTIVE + "]").on("GET", "/api/v1/images/debian", 200, ACTIVE);
        assertThat(run("image", "list").out()).isEqualTo("""
                NAME    STATUS  FORMAT  OS     SIZE     DISK SIZE  SHARED  VOLUME
                debian  ACTIVE  qcow2   linux  1.3 MiB  8.0 MiB    no      image-debian
                """);
        assertThat(run("image", "show", "debian").out()).contains("status: ACTIVE\n", "volume: image-debian (snapshot"
                + " golden)\n", "disk size: 8.0 MiB\n");
    }

    @Test
    void deleteAsksForTheName() {
        api.on("DELETE", "/api/v1/images/debian", 204, "");
        stdin = "debian\n";
        assertThat(run("image", "delete", "debian").out()).isEqualTo("Deleted image debian.\n");
        assertThat(run("image", "delete", "debian", "--yes").exit()).isZero();
    }
}
