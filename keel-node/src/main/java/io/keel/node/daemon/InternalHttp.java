package io.keel.node.daemon;

import java.net.URI;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The HTTP client nodes use to call each other's API (join, heartbeats). When the cluster runs
 * with TLS, every node has its own self-signed certificate, so peers cannot be verified by a
 * common authority yet; node-to-node calls are authenticated by the node credential instead and
 * encrypted by TLS. A cluster CA that lets peers verify each other is recorded as future work in
 * ADR 0006.
 */
public final class InternalHttp {
    private final boolean tls;
    private final HttpClient client;

    public InternalHttp(boolean tls) {
        this.tls = tls;
        HttpClient.Builder b = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(2))
                .version(HttpClient.Version.HTTP_1_1);
        if (tls) {
            b.sslContext(acceptAnyCertificate());
        }
        this.client = b.build();
    }

    public HttpClient client() {
        return client;
    }

    public URI uri(String host, int port, String path) {
        Objects.requireNonNull(host, "host");
        return URI.create((tls ? "https://" : "http://") + hostPart(host) + ":" + port + path);
    }

    /** {@code address} is host:port as an administrator writes it after --join. */
    public URI uri(String address, String path) {
        return URI.create((tls ? "https://" : "http://") + address + path);
    }

    private static String hostPart(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static SSLContext acceptAnyCertificate() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {}

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {}

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, new SecureRandom());
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException("TLS is not available in this JVM", e);
        }
    }
}
