package io.keel.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.node.embedded.ApiSession;
import io.keel.node.embedded.Poll;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8's benchmark: a Keel S3 gateway (node1 of an embedded 3-node cluster, objects under a
 * 1-replica policy) against nginx from Debian as the HTTP limit (static GET of files; WebDAV PUT),
 * same machine, same run, same client: 1 MiB and 64 MiB PUT and GET throughput, and 4 KiB PUT and
 * GET operations per second with 16 concurrent clients. The client is the JDK's HTTP/1.1 client on
 * virtual threads; S3 requests are SigV4-signed with UNSIGNED-PAYLOAD (as SDKs do over HTTPS), nginx
 * requests are plain. Targets take turns job by job, reversed every other round. Results go to
 * {@code keel.bench.out}, one line per measurement: {@code job target round value}; MB/s for the
 * throughput jobs, operations per second for the 4 KiB ones. Not an IT: {@code bench/s3-bench.sh}
 * runs it.
 */
@Timeout(value = 60, unit = TimeUnit.MINUTES)
class S3Bench {
    private static final int KIB = 1024;
    private static final int MIB = 1024 * KIB;

    /** One load shape: object size, clients, and how long it runs. */
    record Job(String name, boolean put, int size, int clients, int objects) {}

    static final List<Job> JOBS = List.of(
            new Job("put-1m", true, MIB, 4, 256), new Job("get-1m", false, MIB, 4, 256),
            new Job("put-64m", true, 64 * MIB, 2, 8), new Job("get-64m", false, 64 * MIB, 2, 8),
            new Job("put-4k", true, 4 * KIB, 16, 4096), new Job("get-4k", false, 4 * KIB, 16, 4096));

    @TempDir
    static Path dir;

    @Test
    void measure() throws Exception {
        int seconds = Integer.getInteger("keel.bench.seconds", 15);
        int rounds = Integer.getInteger("keel.bench.rounds", 2);
        // A subset (e.g. "put-4k,get-4k") for iterating on one figure.
        String only = System.getProperty("keel.bench.jobs", "");
        List<Job> jobs = JOBS.stream().filter(j -> only.isBlank() || List.of(only.split(",")).contains(j.name()))
                .toList();
        Path out = Path.of(System.getProperty("keel.bench.out", dir.resolve("results.txt").toString()));
        List<String> results = new ArrayList<>();
        try (LocalCluster cluster = LocalCluster.startAsKeelUp(dir, 3, "10s");
                Nginx nginx = Nginx.start(dir.resolve("nginx"))) {
            ApiSession api = cluster.api(1);
            created(api.post("/api/v1/policies", Map.of("name", "one", "replicas", 1, "failureDomain", "host")));
            int port = LocalCluster.freePorts(1)[0];
            created(api.post("/api/v1/s3/cluster", Map.of("nodes", List.of("node1"), "policy", "one",
                    "endpoints", List.of("s3.bench.test"), "protocol", "HTTP", "httpPort", port)));
            JsonNode user = created(api.post("/api/v1/s3/users", Map.of("email", "bench@example.com")));
            JsonNode key = created(api.post("/api/v1/s3/keys", Map.of("user", user.path("id").asText())));
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build();
            Target keel = new Target.S3("keel-r1", "http://127.0.0.1:" + port, key.path("accessKeyId").asText(),
                    key.path("secretAccessKey").asText(), http);
            Target web = new Target.Plain("nginx", "http://127.0.0.1:" + nginx.port(), http);
            Poll.until(Duration.ofSeconds(60), "the S3 gateway answering", () -> keel.ready());
            keel.createBucket("bench");
            web.createBucket("bench");
            byte[] payload = new byte[65 * MIB];
            new Random(8).nextBytes(payload);
            // Objects each target holds per object size: a GET job reads only what its PUT job wrote.
            Map<String, Long> written = new java.util.HashMap<>();
            // Unrecorded: the nodes' optimising JIT compiles the request paths for about a minute of
            // load (on 2 cores, 1 MiB PUTs took 26 ms in the gateway after 20 s and 15 ms after 90 s),
            // which would otherwise count against whichever job happens to run first.
            int warmup = Integer.getInteger("keel.bench.warmup", 45);
            for (Job job : warmup > 0 ? jobs : List.<Job>of()) {
                for (Target t : List.of(web, keel)) {
                    String size = t.name() + job.name().substring(job.name().indexOf('-'));
                    LoadRun run = new LoadRun(t, job, payload, Duration.ofSeconds(warmup),
                            written.getOrDefault(size, 0L));
                    run.run();
                    if (job.put()) {
                        written.merge(size, run.completed(), Math::max);
                    }
                }
            }
            for (int round = 1; round <= rounds; round++) {
                for (Job job : jobs) {
                    List<Target> order = round % 2 == 1 ? List.of(web, keel) : List.of(keel, web);
                    for (Target t : order) {
                        String size = t.name() + job.name().substring(job.name().indexOf('-'));
                        LoadRun run = new LoadRun(t, job, payload, Duration.ofSeconds(seconds),
                                written.getOrDefault(size, 0L));
                        double value = run.run();
                        if (job.put()) {
                            written.merge(size, run.completed(), Math::max);
                        }
                        String line = job.name() + " " + t.name() + " " + round + " " + String.format("%.1f", value);
                        System.out.println("BENCH " + line);
                        results.add(line);
                        Files.write(out, results);
                    }
                }
            }
            cluster.close("S3Bench");
        }
        Files.write(out, results);
    }

    private static JsonNode created(ApiSession.Reply r) {
        assertThat(r.status()).as(r.message()).isEqualTo(201);
        return r.body();
    }

    /** nginx from Debian serving a directory, with WebDAV PUT, on a free port of 127.0.0.1. */
    record Nginx(Process process, int port) implements AutoCloseable {
        static Nginx start(Path root) throws IOException, java.util.concurrent.TimeoutException {
            Files.createDirectories(root.resolve("html/bench"));
            Files.createDirectories(root.resolve("tmp"));
            int port = LocalCluster.freePorts(1)[0];
            Path conf = root.resolve("nginx.conf");
            Files.writeString(conf, """
                    # Workers as root only when the bench runs as root: they must reach the test's
                    # private temporary directory (nginx ignores this line otherwise).
                    user root;
                    worker_processes 2;
                    daemon off;
                    pid %1$s/nginx.pid;
                    error_log %1$s/error.log warn;
                    events { worker_connections 1024; }
                    http {
                        access_log off;
                        sendfile on;
                        client_body_temp_path %1$s/tmp;
                        client_max_body_size 0;
                        server {
                            listen 127.0.0.1:%2$d;
                            root %1$s/html;
                            location / { dav_methods PUT DELETE MKCOL; create_full_put_path on; }
                        }
                    }
                    """.formatted(root, port));
            Process p = new ProcessBuilder("nginx", "-c", conf.toString(), "-p", root.toString())
                    .redirectErrorStream(true).redirectOutput(root.resolve("nginx.out").toFile()).start();
            Nginx n = new Nginx(p, port);
            try {
                Poll.until(Duration.ofSeconds(10), "nginx listening", () -> {
                    try (var s = new java.net.Socket("127.0.0.1", port)) {
                        return true;
                    } catch (IOException e) {
                        return false;
                    }
                });
            } catch (RuntimeException | java.util.concurrent.TimeoutException e) {
                n.close();
                throw e;
            }
            return n;
        }

        @Override
        public void close() {
            process.destroy();
        }
    }

    static URI uri(String base, String path) {
        return URI.create(base + path);
    }

    static HttpResponse<byte[]> send(HttpClient http, HttpRequest request) throws IOException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
