package io.keel.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The OpenAPI document is hand-written; these checks keep it from drifting from the code. */
class OpenApiConsistencyTest {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");
    private static JsonNode doc;
    private static List<Route> routes;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = ApiServer.class.getResourceAsStream(ApiRoutes.OPENAPI_RESOURCE)) {
            doc = new ObjectMapper().readTree(in);
        }
        try (ApiServer server = new ApiServer(new ApiConfig("127.0.0.1", 0, null, null, "n"), new FakeClusterService(),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
            routes = server.routes();
        }
    }

    private static Map<String, JsonNode> documentedOperations() {
        Map<String, JsonNode> ops = new HashMap<>();
        doc.get("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
            if (METHODS.contains(op.getKey())) {
                ops.put(op.getKey().toUpperCase() + " " + path.getKey(), op.getValue());
            }
        }));
        return ops;
    }

    @Test
    void documentAndRouteTableListTheSameOperations() {
        Set<String> table = routes.stream().map(r -> r.method().name() + " " + r.path()).collect(Collectors.toSet());
        assertThat(table).hasSize(routes.size()); // no duplicate rows
        assertThat(documentedOperations().keySet()).containsExactlyInAnyOrderElementsOf(table);
    }

    @Test
    void securityMatchesAccess() {
        Map<String, JsonNode> ops = documentedOperations();
        for (Route route : routes) {
            JsonNode security = ops.get(route.method().name() + " " + route.path()).get("security");
            String expected = switch (route.access()) {
                case PUBLIC -> "[]";
                case NODE -> "[{\"nodeCredential\":[]}]";
                case SESSION -> "[{\"sessionToken\":[]}]";
                case CONSOLE -> "[{\"sessionToken\":[]},{\"consoleTicket\":[]}]";
            };
            assertThat(String.valueOf(security)).as(route.toString()).isEqualTo(expected);
        }
        assertThat(doc.at("/components/securitySchemes").has("sessionToken")).isTrue();
        assertThat(doc.at("/components/securitySchemes").has("nodeCredential")).isTrue();
        assertThat(doc.at("/components/securitySchemes").has("consoleTicket")).isTrue();
    }

    @Test
    void pathParametersAreDeclared() {
        Map<String, JsonNode> ops = documentedOperations();
        for (Route route : routes) {
            Set<String> inPath = new HashSet<>();
            var m = java.util.regex.Pattern.compile("\\{([^}]+)}").matcher(route.path());
            while (m.find()) {
                inPath.add(m.group(1));
            }
            Set<String> declared = new HashSet<>();
            JsonNode params = ops.get(route.method().name() + " " + route.path()).get("parameters");
            if (params != null) {
                for (JsonNode p : params) {
                    JsonNode resolved = p.has("$ref") ? resolve(p.get("$ref").asText()) : p;
                    if (resolved.get("in").asText().equals("path")) {
                        declared.add(resolved.get("name").asText());
                    }
                }
            }
            assertThat(declared).as(route.toString()).isEqualTo(inPath);
        }
    }

    @Test
    void schemasHaveTheFieldsOfTheirRecords() throws Exception {
        JsonNode schemas = doc.at("/components/schemas");
        for (var entry : schemas.properties()) {
            JsonNode schema = entry.getValue();
            assertThat(schema.has("x-java-type")).as(entry.getKey()).isTrue();
            Class<?> type = Class.forName(schema.get("x-java-type").asText());
            assertThat(type.isRecord()).as(type.getName()).isTrue();
            Set<String> fields = Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).collect(Collectors.toSet());
            Set<String> documented = new HashSet<>();
            schema.get("properties").fieldNames().forEachRemaining(documented::add);
            assertThat(documented).as(entry.getKey()).isEqualTo(fields);
            schema.get("required").forEach(r -> assertThat(fields).as(entry.getKey()).contains(r.asText()));
        }
    }

    @Test
    void everyDtoIsDocumentedAndEveryReferenceResolves() throws IOException {
        Set<String> documentedTypes = new HashSet<>();
        doc.at("/components/schemas").forEach(s -> documentedTypes.add(s.get("x-java-type").asText()));
        try (Stream<Path> files = Files.list(Path.of("src/main/java/io/keel/api/dto"))) {
            files.map(f -> "io.keel.api.dto." + f.getFileName().toString().replace(".java", ""))
                    .forEach(type -> assertThat(documentedTypes).contains(type));
        }
        List<String> refs = doc.findValuesAsText("$ref");
        assertThat(refs).isNotEmpty();
        refs.forEach(ref -> assertThat(resolve(ref).isMissingNode()).as(ref).isFalse());
    }

    private static JsonNode resolve(String ref) {
        assertThat(ref).startsWith("#/");
        return doc.at(ref.substring(1));
    }
}
