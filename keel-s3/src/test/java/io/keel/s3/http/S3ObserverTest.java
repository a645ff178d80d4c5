package io.keel.s3.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.s3.backend.S3Authorizer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class S3ObserverTest {
    record Seen(String operation, int status, long bytesIn, long bytesOut, long nanos) {}

    @Test
    void everyAnsweredRequestIsReportedWithItsOperationStatusAndBytes() throws Exception {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        S3ServerConfig config = new S3ServerConfig("127.0.0.1", 0, List.of("s3.test"), "us-east-1", "n1",
                Optional.empty(), Clock.systemUTC());
        try (S3Server server = new S3Server(config, new InMemoryBackend(Clock.systemUTC()), S3Authorizer.ownerOnly(),
                k -> Optional.empty(), k -> Optional.empty(),
                (op, status, in, out, nanos) -> seen.add(new Seen(op, status, in, out, nanos))).start()) {
            HttpClient http = HttpClient.newHttpClient();
            URI root = URI.create("http://127.0.0.1:" + server.port() + "/");
            HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(root).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> garbled = http.send(HttpRequest.newBuilder(root.resolve("/b/k"))
                    .header("Authorization", "AWS4-HMAC-SHA256 nonsense")
                    .PUT(HttpRequest.BodyPublishers.ofString("hello")).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(anonymous.statusCode()).isEqualTo(403);
            assertThat(garbled.statusCode()).isBetween(400, 499);
            assertThat(seen).hasSize(2);
            assertThat(seen.get(0).operation()).isEqualTo("ListBuckets");
            assertThat(seen.get(0).status()).isEqualTo(403);
            assertThat(seen.get(0).bytesOut()).isEqualTo(anonymous.body().getBytes().length);
            assertThat(seen.get(0).nanos()).isPositive();
            assertThat(seen.get(1).operation()).isEqualTo("Unresolved");
            assertThat(seen.get(1).status()).isEqualTo(garbled.statusCode());
        }
    }
}
