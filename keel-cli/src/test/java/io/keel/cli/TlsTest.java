package io.keel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An API with a self-signed certificate for CN=localhost, reached as 127.0.0.1: neither chain nor name verify. */
class TlsTest extends CliTestBase {
    private static final char[] PASS = "changeit".toCharArray();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path keys;

    private static SSLContext serverContext;
    private FakeApi https;

    @BeforeAll
    static void selfSignedCertificate() throws Exception {
        Path store = keys.resolve("api.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "api", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", new String(PASS), "-keypass", new String(PASS))
                .redirectErrorStream(true)
                .start();
        String output = new String(keytool.getInputStream().readAllBytes());
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(output).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, PASS);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASS);
        serverContext = SSLContext.getInstance("TLS");
        serverContext.init(kmf.getKeyManagers(), null, null);
    }

    @BeforeEach
    void startHttps() throws Exception {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverContext));
        https = new FakeApi(server);
        https.on("GET", "/api/v1/nodes", 200, "[]");
        https.on("POST", "/api/v1/login", 200,
                "{\"token\":\"" + FakeApi.TOKEN + "\",\"username\":\"superadmin\",\"expiresAt\":\"2026-11-23T12:00:00Z\"}");
    }

    @AfterEach
    void stopHttps() {
        https.close();
    }

    @Test
    void aSelfSignedCertificateIsRefusedWithAHint() throws Exception {
        loggedIn(https.url(), false);

        Result r = run("node", "list");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: TLS handshake with the Keel API at " + https.url() + " failed: ")
                .contains("add --insecure");
        assertThat(https.requests()).isEmpty();
    }

    @Test
    void insecureAcceptsIt() throws Exception {
        loggedIn(https.url(), false);

        Result r = run("node", "list", "--insecure");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(https.only().authorization()).isEqualTo("Bearer " + FakeApi.TOKEN);
    }

    @Test
    void loginInsecureIsRememberedForThatApi() throws Exception {
        stdin = "pw";

        Result login = run("login", "--api", https.url(), "--insecure", "--password-stdin");
        Result list = run("node", "list");

        assertThat(login.exit()).as(login.err()).isZero();
        assertThat(JSON.readTree(Files.readString(config)).get("insecure").asBoolean()).isTrue();
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(https.requests()).hasSize(2);
    }

    @Test
    void httpsToAPlainHttpServerIsATlsFailure() throws Exception {
        try (ServerSocket plain = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread server = Thread.ofPlatform().daemon().start(() -> {
                try (Socket s = plain.accept()) {
                    s.getInputStream().read(new byte[4096]); // the ClientHello
                    s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes());
                    s.getOutputStream().flush();
                    s.getInputStream().read(new byte[4096]); // until the client gives up
                } catch (Exception ignored) {
                    // the client hung up
                }
            });
            String url = "https://127.0.0.1:" + plain.getLocalPort();
            loggedIn(url, false);

            Result r = run("node", "list");

            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err()).startsWith("error: TLS handshake with the Keel API at " + url + " failed");
            server.join(5000);
        }
    }
}
