package io.keel.testkit;

import static io.keel.testkit.VmTestBed.created;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.node.embedded.ApiSession;
import io.keel.node.embedded.Poll;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketLifecycleConfiguration;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleExpiration;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.LifecycleRuleFilter;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Lifecycle expiration end to end on a real node: rules set with the AWS SDK, a sweep asked for
 * through the API ({@code POST /api/v1/s3/lifecycle/sweep}, what the hourly sweep runs), and the
 * objects gone, or hidden behind a delete marker where the bucket keeps versions, for S3 clients.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class S3LifecycleIT {
    @TempDir
    static Path dir;

    static LocalCluster cluster;
    static ApiSession api;
    static S3Client s3;

    @BeforeAll
    static void up() throws Exception {
        cluster = LocalCluster.start(dir, 1, "3s");
        try {
            api = cluster.api(1);
            created(api.post("/api/v1/policies", Map.of("name", "one", "replicas", 1)));
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            created(api.post("/api/v1/s3/cluster", Map.of("nodes", List.of("node1"), "policy", "one",
                    "endpoints", List.of("s3.life.test"), "protocol", "HTTP", "httpPort", port)));
            JsonNode user = created(api.post("/api/v1/s3/users", Map.of("email", "life@example.com")));
            JsonNode key = created(api.post("/api/v1/s3/keys", Map.of("user", user.path("id").asText())));
            s3 = S3Client.builder().endpointOverride(URI.create("http://127.0.0.1:" + port)).region(Region.US_EAST_1)
                    .forcePathStyle(true).credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials
                            .create(key.path("accessKeyId").asText(), key.path("secretAccessKey").asText())))
                    .build();
            Poll.until(Duration.ofSeconds(60), "the S3 gateway answering", () -> {
                try {
                    s3.listBuckets();
                    return true;
                } catch (RuntimeException e) {
                    return false;
                }
            });
        } catch (Exception | Error e) {
            down();
            throw e;
        }
    }

    @AfterAll
    static void down() throws IOException {
        if (s3 != null) {
            s3.close();
        }
        if (cluster != null) {
            cluster.close("S3LifecycleIT");
        }
    }

    @Test
    void aSweepExpiresWhatTheRulesSayIsDueAndNothingElse() throws Exception {
        s3.createBucket(b -> b.bucket("plain"));
        s3.createBucket(b -> b.bucket("kept"));
        s3.putBucketVersioning(b -> b.bucket("kept").versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        for (String bucket : List.of("plain", "kept")) {
            for (String k : List.of("logs/a", "logs/b", "data/c")) {
                s3.putObject(b -> b.bucket(bucket).key(k), RequestBody.fromString(bucket + "/" + k));
            }
        }
        // Due since midnight UTC today; a second rule not due for years; another bucket without rules.
        Instant today = LocalDate.now(ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant();
        s3.createBucket(b -> b.bucket("untouched"));
        s3.putObject(b -> b.bucket("untouched").key("logs/z"), RequestBody.fromString("z"));
        for (String bucket : List.of("plain", "kept")) {
            s3.putBucketLifecycleConfiguration(b -> b.bucket(bucket).lifecycleConfiguration(
                    BucketLifecycleConfiguration.builder().rules(
                            rule("old-logs", "logs/", LifecycleExpiration.builder().date(today).build()),
                            rule("data", "data/", LifecycleExpiration.builder().days(3650).build())).build()));
        }
        assertThat(s3.getBucketLifecycleConfiguration(b -> b.bucket("plain")).rules()).hasSize(2);

        ApiSession.Reply sweep = api.post("/api/v1/s3/lifecycle/sweep", Map.of());
        assertThat(sweep.status()).as(sweep.message()).isEqualTo(200);
        assertThat(sweep.body().path("buckets").asLong()).isEqualTo(2);
        assertThat(sweep.body().path("expired").asLong()).isEqualTo(4);
        assertThat(sweep.body().path("failedBuckets").asLong()).isZero();

        assertThat(keys("plain")).containsExactly("data/c");
        assertThatThrownBy(() -> s3.getObject(b -> b.bucket("plain").key("logs/a"))).isInstanceOf(NoSuchKeyException.class);
        assertThat(s3.getObjectAsBytes(b -> b.bucket("plain").key("data/c")).asUtf8String()).isEqualTo("plain/data/c");
        // Versioned: the current versions are hidden behind delete markers, their bytes kept.
        assertThat(keys("kept")).containsExactly("data/c");
        var versions = s3.listObjectVersions(b -> b.bucket("kept").prefix("logs/a"));
        assertThat(versions.deleteMarkers()).hasSize(1);
        assertThat(versions.deleteMarkers().getFirst().isLatest()).isTrue();
        assertThat(versions.versions()).hasSize(1);
        String kept = versions.versions().getFirst().versionId();
        assertThat(s3.getObjectAsBytes(b -> b.bucket("kept").key("logs/a").versionId(kept)).asUtf8String())
                .isEqualTo("kept/logs/a");
        assertThat(keys("untouched")).containsExactly("logs/z");

        // Idempotent: nothing more is due, and a delete marker is not expired again.
        ApiSession.Reply again = api.post("/api/v1/s3/lifecycle/sweep", Map.of());
        assertThat(again.status()).as(again.message()).isEqualTo(200);
        assertThat(again.body().path("expired").asLong()).isZero();
        assertThat(s3.listObjectVersions(b -> b.bucket("kept").prefix("logs/a")).deleteMarkers()).hasSize(1);
    }

    private static LifecycleRule rule(String id, String prefix, LifecycleExpiration expiration) {
        return LifecycleRule.builder().id(id).status(ExpirationStatus.ENABLED)
                .filter(LifecycleRuleFilter.builder().prefix(prefix).build()).expiration(expiration).build();
    }

    private static List<String> keys(String bucket) {
        return s3.listObjectsV2(b -> b.bucket(bucket)).contents().stream().map(S3Object::key).toList();
    }
}
