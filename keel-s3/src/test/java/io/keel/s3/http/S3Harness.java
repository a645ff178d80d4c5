package io.keel.s3.http;

import io.keel.s3.SdkSigner;
import io.keel.s3.backend.S3Authorizer;
import io.keel.s3.backend.S3Backend;
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** A real S3Server on a real socket over the in-memory backend, and SDK clients for it. */
final class S3Harness implements AutoCloseable {
    static final String ENDPOINT = "s3.test";
    static final String REGION = "keel-1";
    static final Map<String, String> SECRETS = Map.of("AKIDALICE", "alice-secret", "AKIDBOB", "bob-secret",
            SdkSigner.ACCESS_KEY, SdkSigner.SECRET);
    static final Map<String, String> USERS = Map.of("AKIDALICE", "alice", "AKIDBOB", "bob",
            SdkSigner.ACCESS_KEY, "alice");

    final S3Backend backend;
    final S3Server server;
    final Optional<TrustManager[]> trust;

    /**
     * Over any backend, so other modules run these conformance tests against their storage.
     * {@code region}: {@link SdkSigner} (raw signed requests) signs for us-east-1.
     */
    S3Harness(boolean tls, String region, S3Backend backend) throws Exception {
        this.backend = backend;
        S3ServerConfig config = new S3ServerConfig("127.0.0.1", 0, List.of(ENDPOINT), region, "node-1",
                Optional.empty(), Clock.systemUTC());
        if (tls) {
            Path dir = Files.createTempDirectory("s3tls");
            Path ks = dir.resolve("ks.p12");
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-genkeypair", "-alias", "s3", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + ENDPOINT,
                    "-ext", "SAN=dns:" + ENDPOINT + ",dns:*." + ENDPOINT, "-validity", "2", "-storetype", "PKCS12",
                    "-keystore", ks.toString(), "-storepass", "changeit").inheritIO().start();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("keytool failed");
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = new FileInputStream(ks.toFile())) {
                store.load(in, "changeit".toCharArray());
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, "changeit".toCharArray());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            config = config.withTls(ctx);
            trust = Optional.of(tmf.getTrustManagers());
        } else {
            trust = Optional.empty();
        }
        server = new S3Server(config, backend, S3Authorizer.ownerOnly(), k -> Optional.ofNullable(SECRETS.get(k)),
                k -> Optional.ofNullable(USERS.get(k))).start();
    }

    URI endpoint() {
        return URI.create((trust.isPresent() ? "https" : "http") + "://" + ENDPOINT + ":" + server.port());
    }

    /** Every name under the test endpoint resolves to the loopback server, as DNS would in production. */
    ApacheHttpClient.Builder http() {
        ApacheHttpClient.Builder b = ApacheHttpClient.builder().dnsResolver(host -> new InetAddress[] {
                InetAddress.getLoopbackAddress()});
        trust.ifPresent(t -> b.tlsTrustManagersProvider(() -> t));
        return b;
    }

    S3Client client(String accessKey, boolean pathStyle) {
        return S3Client.builder().endpointOverride(endpoint()).region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(accessKey, SECRETS.getOrDefault(accessKey, "wrong"))))
                .forcePathStyle(pathStyle).httpClientBuilder(http()).build();
    }

    S3Presigner presigner() {
        return S3Presigner.builder().endpointOverride(URI.create("http://127.0.0.1:" + server.port()))
                .region(Region.of(REGION)).serviceConfiguration(
                        software.amazon.awssdk.services.s3.S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIDALICE", SECRETS.get("AKIDALICE")))).build();
    }

    @Override
    public void close() {
        server.close();
    }
}
