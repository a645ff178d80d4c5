package io.keel.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * What the commands of one run share: the streams, the environment, the global options, the saved
 * configuration and the HTTP client. Created per {@link KeelCli#run} and closed after it.
 */
final class CliContext implements AutoCloseable {
    static final String NOT_LOGGED_IN = "not logged in: run 'keel login --api URL'";

    private final PrintWriter out;
    private final PrintWriter err;
    private final Map<String, String> env;
    private final InputStream in;
    private final PasswordReader passwords;
    private final Duration timeout;
    private final Clock clock;
    private final GlobalOptions options = new GlobalOptions();
    private final ObjectMapper json = mapper();
    private final List<HttpClient> clients = new ArrayList<>();
    private CliConfig config;

    CliContext(PrintWriter out, PrintWriter err, Map<String, String> env, InputStream in, PasswordReader passwords,
            Duration timeout, Clock clock) {
        this.out = out;
        this.err = err;
        this.env = Map.copyOf(env);
        this.in = in;
        this.passwords = passwords;
        this.timeout = timeout;
        this.clock = clock;
    }

    static ObjectMapper mapper() {
        return JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
                .build();
    }

    PrintWriter out() {
        return out;
    }

    PrintWriter err() {
        return err;
    }

    InputStream in() {
        return in;
    }

    PasswordReader passwords() {
        return passwords;
    }

    Clock clock() {
        return clock;
    }

    GlobalOptions options() {
        return options;
    }

    ObjectMapper json() {
        return json;
    }

    Path configPath() {
        return CliConfig.path(options.config(), env);
    }

    CliConfig config() {
        if (config == null) {
            config = CliConfig.load(configPath(), json);
        }
        return config;
    }

    /**
     * For login, which replaces the file: an unreadable configuration is reported as a warning and
     * treated as empty instead of failing.
     */
    void tolerateBrokenConfig() {
        try {
            config();
        } catch (CliException e) {
            err.println("warning: " + e.getMessage() + "; logging in replaces it");
            config = CliConfig.EMPTY;
        }
    }

    /** The API URL to use: {@code --api}, else the saved one; null when neither. */
    String apiUrl() {
        if (options.api() != null) {
            return options.api();
        }
        String saved = config().api();
        if (saved == null || saved.isBlank()) {
            return null;
        }
        try {
            return ApiUrl.normalise(saved);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage() + " in " + configPath());
        }
    }

    /**
     * Whether to accept the API's certificate unverified: {@code --insecure}, or saved by
     * {@code keel login --insecure} for the same API URL.
     */
    boolean insecureFor(String api) {
        CliConfig c = config();
        return options.insecure() || c.insecure() && api.equals(c.api());
    }

    /** A client carrying the saved session; fails with "not logged in" when there is none. */
    ApiClient api() {
        String api = apiUrl();
        String token = config().token();
        if (api == null || token == null || token.isBlank()) {
            throw new CliException(NOT_LOGGED_IN);
        }
        return client(api, token, insecureFor(api));
    }

    /** A client without a session, for login. */
    ApiClient client(String api, String token, boolean insecure) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(timeout.compareTo(Duration.ofSeconds(10)) < 0 ? timeout : Duration.ofSeconds(10));
        if (insecure) {
            builder.sslContext(trustAll());
        }
        HttpClient http = builder.build();
        clients.add(http);
        return new ApiClient(http, api, token, insecure, json, timeout);
    }

    boolean jsonOutput() {
        return options.output() == OutputFormat.JSON;
    }

    /** Prints the API's JSON, pretty-printed the way jq does: two-space indents, {@code "key": value}. */
    void printJson(JsonNode node) {
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                .withArrayIndenter(indenter)
                .withObjectIndenter(indenter);
        try {
            out.println(json.writer(printer).writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads the API's JSON as one of {@link Views}; a shape it cannot read is the API's fault. */
    <T> T read(JsonNode node, Class<T> type) {
        if (node == null) {
            throw new CliException("unexpected answer from the Keel API: empty body where "
                    + type.getSimpleName() + " was expected");
        }
        try {
            return json.treeToValue(node, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new CliException("unexpected answer from the Keel API: " + e.getMessage(), e);
        }
    }

    <T> List<T> readList(JsonNode node, Class<T> type) {
        if (node == null || !node.isArray()) {
            throw new CliException("unexpected answer from the Keel API: a list of "
                    + type.getSimpleName() + " was expected");
        }
        List<T> list = new ArrayList<>();
        for (JsonNode item : node) {
            list.add(read(item, type));
        }
        return list;
    }

    @Override
    public void close() {
        clients.forEach(HttpClient::close);
        clients.clear();
    }

    /** Accepts any certificate for any host name: what --insecure asks for, and nothing else does. */
    private static SSLContext trustAll() {
        TrustManager tm = new X509ExtendedTrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, java.net.Socket socket) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, java.net.Socket socket) {}

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {tm}, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS", e);
        }
    }
}
