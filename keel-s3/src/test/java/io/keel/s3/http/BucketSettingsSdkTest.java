package io.keel.s3.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.s3.settings.PolicyAuthorizer;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CORSRule;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Tag;

/** The AWS SDK against a server with bucket settings and bucket policies; anonymous calls via java.net.http. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BucketSettingsSdkTest {
    static final String REGION = "keel-1";
    static final Map<String, String> SECRETS = Map.of("AKIDALICE", "alice-secret", "AKIDBOB", "bob-secret");
    static final Map<String, String> USERS = Map.of("AKIDALICE", "alice", "AKIDBOB", "bob");

    InMemoryBackend backend;
    S3Server server;
    S3Client alice;
    S3Client bob;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() {
        backend = new InMemoryBackend(Clock.systemUTC());
        InMemoryBucketSettings settings = new InMemoryBucketSettings(backend);
        S3ServerConfig config = new S3ServerConfig("127.0.0.1", 0, List.of("s3.test"), REGION, "node-1",
                Optional.empty(), Clock.systemUTC());
        server = new S3Server(config, backend, new PolicyAuthorizer(settings), k -> Optional.ofNullable(SECRETS.get(k)),
                k -> Optional.ofNullable(USERS.get(k)), S3Observer.NONE, settings).start();
        alice = client("AKIDALICE");
        bob = client("AKIDBOB");
    }

    @AfterAll
    void stop() {
        alice.close();
        bob.close();
        server.close();
    }

    S3Client client(String accessKey) {
        ApacheHttpClient.Builder h = ApacheHttpClient.builder().dnsResolver(host -> new InetAddress[] {
                InetAddress.getLoopbackAddress()});
        return S3Client.builder().endpointOverride(URI.create("http://s3.test:" + server.port()))
                .region(Region.of(REGION)).credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(accessKey, SECRETS.get(accessKey))))
                .forcePathStyle(true).httpClientBuilder(h).build();
    }

    static String code(Runnable r) {
        try {
            r.run();
        } catch (S3Exception e) {
            return e.awsErrorDetails().errorCode();
        }
        return "none";
    }

    HttpResponse<String> anonymous(String method, String pathAndQuery, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + pathAndQuery))
                .method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void eachSettingIsPutReadAndDeletedWithS3sErrorsWhenAbsent() {
        alice.createBucket(b -> b.bucket("conf"));
        assertThat(code(() -> alice.getBucketCors(b -> b.bucket("conf")))).isEqualTo("NoSuchCORSConfiguration");
        assertThat(code(() -> alice.getBucketTagging(b -> b.bucket("conf")))).isEqualTo("NoSuchTagSet");
        assertThat(code(() -> alice.getBucketPolicy(b -> b.bucket("conf")))).isEqualTo("NoSuchBucketPolicy");
        assertThat(code(() -> alice.getBucketLifecycleConfiguration(b -> b.bucket("conf"))))
                .isEqualTo("NoSuchLifecycleConfiguration");

        alice.putBucketCors(b -> b.bucket("conf").corsConfiguration(c -> c.corsRules(CORSRule.builder()
                .allowedOrigins("https://app.example.com").allowedMethods("GET", "PUT").allowedHeaders("*")
                .maxAgeSeconds(600).exposeHeaders("ETag").build())));
        CORSRule rule = alice.getBucketCors(b -> b.bucket("conf")).corsRules().getFirst();
        assertThat(rule.allowedOrigins()).containsExactly("https://app.example.com");
        assertThat(rule.allowedMethods()).containsExactly("GET", "PUT");
        assertThat(rule.maxAgeSeconds()).isEqualTo(600);

        alice.putBucketTagging(b -> b.bucket("conf").tagging(t -> t.tagSet(Tag.builder().key("team").value("web").build(),
                Tag.builder().key("cost").value("1").build())));
        assertThat(alice.getBucketTagging(b -> b.bucket("conf")).tagSet()).extracting(Tag::key)
                .containsExactly("cost", "team");

        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
                + "\"Action\":[\"s3:GetObject\"],\"Resource\":[\"arn:aws:s3:::conf/*\"]}]}";
        alice.putBucketPolicy(b -> b.bucket("conf").policy(policy));
        assertThat(alice.getBucketPolicy(b -> b.bucket("conf")).policy()).isEqualTo(policy);

        alice.putBucketLifecycleConfiguration(b -> b.bucket("conf").lifecycleConfiguration(l -> l.rules(
                LifecycleRule.builder().id("logs").status(ExpirationStatus.ENABLED).filter(f -> f.prefix("logs/"))
                        .expiration(e -> e.days(30)).build())));
        LifecycleRule lr = alice.getBucketLifecycleConfiguration(b -> b.bucket("conf")).rules().getFirst();
        assertThat(lr.id()).isEqualTo("logs");
        assertThat(lr.expiration().days()).isEqualTo(30);
        assertThat(lr.filter().prefix()).isEqualTo("logs/");

        // Only the owner manages settings, whatever the policy grants.
        assertThat(code(() -> bob.putBucketPolicy(b -> b.bucket("conf").policy(policy)))).isEqualTo("AccessDenied");
        assertThat(code(() -> bob.getBucketCors(b -> b.bucket("conf")))).isEqualTo("AccessDenied");
        assertThat(code(() -> bob.deleteBucketLifecycle(b -> b.bucket("conf")))).isEqualTo("AccessDenied");

        alice.deleteBucketCors(b -> b.bucket("conf"));
        alice.deleteBucketTagging(b -> b.bucket("conf"));
        alice.deleteBucketPolicy(b -> b.bucket("conf"));
        alice.deleteBucketLifecycle(b -> b.bucket("conf"));
        alice.deleteBucketLifecycle(b -> b.bucket("conf"));
        assertThat(code(() -> alice.getBucketCors(b -> b.bucket("conf")))).isEqualTo("NoSuchCORSConfiguration");
        assertThat(code(() -> alice.getBucketTagging(b -> b.bucket("conf")))).isEqualTo("NoSuchTagSet");
        assertThat(code(() -> alice.getBucketPolicy(b -> b.bucket("conf")))).isEqualTo("NoSuchBucketPolicy");
        assertThat(code(() -> alice.getBucketLifecycleConfiguration(b -> b.bucket("conf"))))
                .isEqualTo("NoSuchLifecycleConfiguration");
        assertThat(code(() -> alice.getBucketPolicy(b -> b.bucket("nope")))).isEqualTo("NoSuchBucket");
    }

    @Test
    void badDocumentsAreRefusedWithTheirCodes() {
        alice.createBucket(b -> b.bucket("bad"));
        assertThat(code(() -> alice.putBucketPolicy(b -> b.bucket("bad").policy("{\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::bad/*\","
                + "\"Condition\":{}}]}")))).isEqualTo("MalformedPolicy");
        assertThat(code(() -> alice.putBucketPolicy(b -> b.bucket("bad").policy("nonsense")))).isEqualTo("MalformedPolicy");
        assertThat(code(() -> alice.putBucketCors(b -> b.bucket("bad").corsConfiguration(c -> c.corsRules(
                CORSRule.builder().allowedOrigins("*").allowedMethods("PATCH").build()))))).isEqualTo("InvalidRequest");
        assertThat(code(() -> alice.putBucketLifecycleConfiguration(b -> b.bucket("bad").lifecycleConfiguration(
                l -> l.rules(LifecycleRule.builder().id("x").status(ExpirationStatus.ENABLED).filter(f -> f.prefix(""))
                        .expiration(e -> e.days(0)).build()))))).isEqualTo("InvalidArgument");
        assertThat(code(() -> alice.putBucketTagging(b -> b.bucket("bad").tagging(t -> t.tagSet(
                Tag.builder().key("aws:x").value("1").build()))))).isEqualTo("InvalidTag");
    }

    @Test
    void aPublicReadPolicyLetsAnonymousGetsThroughAndNothingMore() throws Exception {
        alice.createBucket(b -> b.bucket("site"));
        alice.putObject(b -> b.bucket("site").key("index.html"), RequestBody.fromString("<h1>hi</h1>"));
        assertThat(anonymous("GET", "/site/index.html").statusCode()).isEqualTo(403);
        alice.putBucketPolicy(b -> b.bucket("site").policy("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":"
                + "\"PublicRead\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":[\"s3:GetObject\","
                + "\"s3:ListBucket\"],\"Resource\":[\"arn:aws:s3:::site\",\"arn:aws:s3:::site/*\"]}]}"));
        HttpResponse<String> get = anonymous("GET", "/site/index.html");
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo("<h1>hi</h1>");
        assertThat(anonymous("GET", "/site?list-type=2").body()).contains("<Key>index.html</Key>");
        assertThat(anonymous("DELETE", "/site/index.html").statusCode()).isEqualTo(403);
        assertThat(anonymous("GET", "/site?policy").statusCode()).isEqualTo(403);
        assertThat(anonymous("GET", "/").statusCode()).isEqualTo(403);
        assertThat(anonymous("GET", "/site/missing").body()).contains("NoSuchKey");
        alice.deleteBucketPolicy(b -> b.bucket("site"));
        assertThat(anonymous("GET", "/site/index.html").statusCode()).isEqualTo(403);
    }

    @Test
    void aPerUserGrantLetsThatUserWorkUnderAPrefixOnly() {
        alice.createBucket(b -> b.bucket("team"));
        alice.putObject(b -> b.bucket("team").key("private/p"), RequestBody.fromString("p"));
        assertThat(code(() -> bob.putObject(b -> b.bucket("team").key("shared/x"), RequestBody.fromString("x"))))
                .isEqualTo("AccessDenied");
        alice.putBucketPolicy(b -> b.bucket("team").policy("{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
                + "{\"AWS\":[\"bob\"]},\"Action\":[\"s3:GetObject\",\"s3:PutObject\",\"s3:DeleteObject\"],"
                + "\"Resource\":\"arn:aws:s3:::team/shared/*\"},{\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"bob\"},"
                + "\"Action\":\"s3:DeleteObject\",\"Resource\":\"arn:aws:s3:::team/shared/keep*\"}]}"));
        bob.putObject(b -> b.bucket("team").key("shared/x"), RequestBody.fromString("x"));
        bob.putObject(b -> b.bucket("team").key("shared/keep"), RequestBody.fromString("k"));
        assertThat(bob.getObjectAsBytes(b -> b.bucket("team").key("shared/x")).asUtf8String()).isEqualTo("x");
        assertThat(code(() -> bob.getObjectAsBytes(b -> b.bucket("team").key("private/p")))).isEqualTo("AccessDenied");
        assertThat(code(() -> bob.putObject(b -> b.bucket("team").key("private/y"), RequestBody.fromString("y"))))
                .isEqualTo("AccessDenied");
        assertThat(code(() -> bob.listObjectsV2(b -> b.bucket("team")))).isEqualTo("AccessDenied");
        // Without s3:ListBucket a missing key is AccessDenied, not NoSuchKey: keys' existence does not leak.
        assertThat(code(() -> bob.getObjectAsBytes(b -> b.bucket("team").key("shared/missing"))))
                .isEqualTo("AccessDenied");
        assertThat(code(() -> alice.getObjectAsBytes(b -> b.bucket("team").key("shared/missing"))))
                .isEqualTo("NoSuchKey");
        assertThat(code(() -> bob.deleteObject(b -> b.bucket("team").key("shared/keep")))).isEqualTo("AccessDenied");
        var batch = bob.deleteObjects(b -> b.bucket("team").delete(d -> d.objects(o -> o.key("shared/x"),
                o -> o.key("shared/keep"), o -> o.key("private/p"))));
        assertThat(batch.deleted()).extracting(d -> d.key()).containsExactly("shared/x");
        assertThat(batch.errors()).extracting(e -> e.key() + " " + e.code())
                .containsExactly("shared/keep AccessDenied", "private/p AccessDenied");
        // The owner is not bound by the Deny.
        alice.deleteObject(b -> b.bucket("team").key("shared/keep"));
    }

    @Test
    void corsPreflightsAndActualRequestsFollowTheBucketsRules() throws Exception {
        alice.createBucket(b -> b.bucket("web"));
        alice.putObject(b -> b.bucket("web").key("app.js"), RequestBody.fromString("js"));
        HttpResponse<String> none = anonymous("OPTIONS", "/web/app.js", "Origin", "https://app.example.com",
                "Access-Control-Request-Method", "GET");
        assertThat(none.statusCode()).isEqualTo(403);
        assertThat(none.body()).contains("<Code>AccessForbidden</Code>").contains("CORS is not enabled");
        alice.putBucketCors(b -> b.bucket("web").corsConfiguration(c -> c.corsRules(CORSRule.builder()
                .allowedOrigins("https://*.example.com").allowedMethods("GET", "PUT").allowedHeaders("content-type",
                        "x-amz-*").maxAgeSeconds(300).exposeHeaders("ETag").build())));
        HttpResponse<String> ok = anonymous("OPTIONS", "/web/app.js", "Origin", "https://app.example.com",
                "Access-Control-Request-Method", "PUT", "Access-Control-Request-Headers", "Content-Type, X-Amz-Date");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.headers().firstValue("Access-Control-Allow-Origin")).contains("https://app.example.com");
        assertThat(ok.headers().firstValue("Access-Control-Allow-Methods")).contains("GET, PUT");
        assertThat(ok.headers().firstValue("Access-Control-Allow-Headers")).contains("Content-Type, X-Amz-Date");
        assertThat(ok.headers().firstValue("Access-Control-Max-Age")).contains("300");
        HttpResponse<String> refused = anonymous("OPTIONS", "/web", "Origin", "https://evil.org",
                "Access-Control-Request-Method", "GET");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("This CORS request is not allowed");
        assertThat(anonymous("OPTIONS", "/web/app.js", "Origin", "https://app.example.com",
                "Access-Control-Request-Method", "DELETE").statusCode()).isEqualTo(403);
        assertThat(anonymous("OPTIONS", "/web/app.js", "Access-Control-Request-Method", "GET").statusCode())
                .isEqualTo(400);
        assertThat(anonymous("OPTIONS", "/nobucket", "Origin", "https://app.example.com",
                "Access-Control-Request-Method", "GET").statusCode()).isEqualTo(403);
        assertThat(anonymous("OPTIONS", "/").statusCode()).isEqualTo(405);

        // An actual (here anonymous, so refused) request still tells the browser what CORS allows.
        HttpResponse<String> actual = anonymous("GET", "/web/app.js", "Origin", "https://app.example.com");
        assertThat(actual.headers().firstValue("Access-Control-Allow-Origin")).contains("https://app.example.com");
        assertThat(actual.headers().firstValue("Access-Control-Expose-Headers")).contains("ETag");
        assertThat(actual.headers().firstValue("Vary")).get().asString().contains("Origin");
        HttpResponse<String> foreign = anonymous("GET", "/web/app.js", "Origin", "https://evil.org");
        assertThat(foreign.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }
}
