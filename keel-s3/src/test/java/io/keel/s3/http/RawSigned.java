package io.keel.s3.http;

import io.keel.s3.SdkSigner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Requests signed by the SDK's own signer and sent as they are, so tests can send what the SDK client would not. */
final class RawSigned {
    /** Headers java.net.http sets itself (from the URI and the body) and refuses to take from us. */
    private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect");

    private RawSigned() {
    }

    static HttpResponse<String> send(int port, String method, String pathAndQuery, Map<String, String> headers,
            byte[] body, SdkSigner.Options options) throws Exception {
        SdkSigner.Signed s = SdkSigner.sign(method, "http://127.0.0.1:" + port + pathAndQuery, headers, body, options);
        return send(port, s, s.body());
    }

    static HttpResponse<String> send(int port, SdkSigner.Signed s, byte[] body) throws Exception {
        String q = s.request().rawQuery().isEmpty() ? "" : "?" + s.request().rawQuery();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + s.request().rawPath() + q))
                .method(s.request().method(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        for (Map.Entry<String, List<String>> e : s.request().headers().entrySet()) {
            if (!RESTRICTED.contains(e.getKey())) {
                e.getValue().forEach(v -> b.header(e.getKey(), v));
            }
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static SdkSigner.Options now() {
        return SdkSigner.Options.header(Instant.now());
    }
}
