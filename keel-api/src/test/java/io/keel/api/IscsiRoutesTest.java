package io.keel.api;

import static io.keel.api.HttpTestClient.json;
import static io.keel.api.LoggedInApi.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.api.dto.AttachIscsiLunRequest;
import io.keel.api.dto.CreateIscsiGroupRequest;
import io.keel.api.dto.IscsiAccessRequest;
import io.keel.api.dto.IscsiGroupNodeRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The iSCSI target group routes over real HTTP against a fake service. */
class IscsiRoutesTest {
    private static final String GROUPS = "/api/v1/iscsi/groups";
    private static final String SECRET = "s3cr3t-chap-pw";
    private static final String MUTUAL_SECRET = "mutual-pw-0123";
    private static final FakeIscsiService iscsi = new FakeIscsiService();
    private static LoggedInApi api;

    @BeforeAll
    static void start() {
        api = new LoggedInApi(new FakeClusterService(), services -> services.withIscsi(iscsi));
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @BeforeEach
    void reset() {
        iscsi.reset();
    }

    @Test
    void createListGetAndDeleteAGroup() {
        HttpResponse<String> created = api.send("POST", GROUPS,
                "{\"name\":\"vmware\",\"nodes\":[{\"node\":\"node1\",\"address\":\"10.1.0.1\"},{\"node\":\"n-2\"}]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode g = json(created);
        assertThat(g.get("name").asText()).isEqualTo("vmware");
        assertThat(g.get("targets").get(0).get("iqn").asText()).isEqualTo("iqn.2026-12.io.keel:vmware.node1");
        assertThat(g.get("targets").get(0).get("portal").asText()).isEqualTo("10.0.0.1:3260");
        assertThat(g.get("createdAt").asText()).isEqualTo("2026-01-02T03:04:05Z");
        assertThat(iscsi.calls).containsExactly(new CreateIscsiGroupRequest("vmware",
                List.of(new IscsiGroupNodeRequest("node1", "10.1.0.1"), new IscsiGroupNodeRequest("n-2", null))));

        HttpResponse<String> list = api.send("GET", GROUPS, null);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(json(list)).hasSize(2);
        HttpResponse<String> byId = api.send("GET", GROUPS + "/g-1", null);
        assertThat(byId.statusCode()).as(byId.body()).isEqualTo(200);
        assertThat(json(byId).get("name").asText()).isEqualTo("san");
        assertThat(json(byId).get("targets").get(1).get("state").asText()).isEqualTo("offline");

        HttpResponse<String> deleted = api.send("DELETE", GROUPS + "/vmware", null);
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(deleted.body()).isEmpty();
        assertError(api.send("GET", GROUPS + "/vmware", null), 404, "not_found", "no iSCSI group vmware");
    }

    @Test
    void createChecksTheShapeOnly() {
        assertInvalid(api.send("POST", GROUPS, "{\"nodes\":[{\"node\":\"node1\"}]}"), "name is required", "name");
        assertInvalid(api.send("POST", GROUPS, "{\"name\":\" \",\"nodes\":[{\"node\":\"node1\"}]}"),
                "name is required", "name");
        assertInvalid(api.send("POST", GROUPS, "{\"name\":\"g\"}"),
                "nodes is required: at least one node, two or more for path failover", "nodes");
        assertInvalid(api.send("POST", GROUPS, "{\"name\":\"g\",\"nodes\":[]}"),
                "nodes is required: at least one node, two or more for path failover", "nodes");
        assertInvalid(api.send("POST", GROUPS, "{\"name\":\"g\",\"nodes\":[{\"node\":\"node1\"},{\"address\":\"10.0.0.2\"}]}"),
                "nodes[1].node is required", "nodes[1].node");
        assertInvalid(api.send("POST", GROUPS, "{\"name\":\"g\",\"nodes\":[{\"node\":\"node1\"},null]}"),
                "nodes[1] is required", "nodes[1]");
        assertInvalid(api.send("POST", GROUPS, "{\"name\":\"g\",\"nodes\":[{\"node\":\"node1\",\"address\":\"\"}]}"),
                "nodes[0].address is blank: leave it out for the node's management address", "nodes[0].address");
        assertError(api.send("POST", GROUPS, "{\"name\":\"g\",\"nodes\":[{\"node\":\"node1\",\"port\":3260}]}"),
                400, "invalid", "unknown field \"port\" at nodes[0].port");
        HttpResponse<String> malformed = api.send("POST", GROUPS, "{\"name\":\"g\",");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(json(malformed).get("message").asText()).startsWith("malformed JSON");
        assertError(api.send("POST", GROUPS, null), 400, "invalid", "request body is required");
        assertThat(iscsi.calls).isEmpty();
    }

    @Test
    void theNodesRefusalsPassThroughVerbatim() {
        assertError(api.send("POST", GROUPS, "{\"name\":\"san\",\"nodes\":[{\"node\":\"node1\"}]}"), 409, "conflict",
                "an iSCSI group named san exists");
        iscsi.failure = new ApiException(400, "invalid", "node node9 has no address 10.9.9.9", java.util.Map.of("node", "node9"));
        HttpResponse<String> r = api.send("POST", GROUPS, "{\"name\":\"g\",\"nodes\":[{\"node\":\"node9\",\"address\":\"10.9.9.9\"}]}");
        assertError(r, 400, "invalid", "node node9 has no address 10.9.9.9");
        assertThat(json(r).get("details").get("node").asText()).isEqualTo("node9");
        iscsi.failure = ApiException.quorumLost(1, 3);
        assertError(api.send("GET", GROUPS, null), 503, "quorum_lost", "metadata quorum lost (1 of 3 up)");
    }

    @Test
    void accessIsReplacedAndNoAnswerCarriesASecret() {
        HttpResponse<String> r = api.send("PUT", GROUPS + "/san/access", accessBody(
                "\"iqn.1998-01.com.vmware:esx1\"", "esx", SECRET, "keel", MUTUAL_SECRET));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode access = json(r).get("access");
        assertThat(access.get("initiators").get(0).asText()).isEqualTo("iqn.1998-01.com.vmware:esx1");
        assertThat(access.get("chapUser").asText()).isEqualTo("esx");
        assertThat(access.get("mutualChap").asBoolean()).isTrue();
        assertThat(r.body()).doesNotContain(SECRET, MUTUAL_SECRET);
        assertThat(api.send("GET", GROUPS + "/san", null).body()).doesNotContain(SECRET, MUTUAL_SECRET);
        // The service gets the secrets (it configures the targets with them); only views leave them out.
        assertThat(iscsi.calls).containsExactly(new IscsiAccessRequest(List.of("iqn.1998-01.com.vmware:esx1"), "esx",
                SECRET, "keel", MUTUAL_SECRET), "get san");

        HttpResponse<String> open = api.send("PUT", GROUPS + "/g-1/access", "{\"initiators\":[]}");
        assertThat(open.statusCode()).as(open.body()).isEqualTo(200);
        assertThat(json(open).get("access").get("initiators")).isEmpty();
        assertThat(json(open).get("access").get("chapUser").isNull()).isTrue();
        assertThat(json(open).get("access").get("mutualChap").asBoolean()).isFalse();
    }

    @Test
    void accessChecksTheShapeOnly() {
        String access = GROUPS + "/san/access";
        assertInvalid(api.send("PUT", access, "{\"chapUser\":\"u\",\"chapSecret\":\"" + SECRET + "\"}"),
                "initiators is required: a list of initiator IQNs, empty to allow any initiator", "initiators");
        assertInvalid(api.send("PUT", access, "{\"initiators\":[\"iqn.a\",\"\"]}"), "initiators[1] is required",
                "initiators[1]");
        assertInvalid(api.send("PUT", access, "{\"initiators\":[],\"chapUser\":\"u\"}"),
                "chapSecret is required with chapUser", "chapSecret");
        assertInvalid(api.send("PUT", access, "{\"initiators\":[],\"chapSecret\":\"" + SECRET + "\"}"),
                "chapSecret given without chapUser", "chapSecret");
        assertInvalid(api.send("PUT", access, "{\"initiators\":[],\"chapUser\":\" \",\"chapSecret\":\"" + SECRET + "\"}"),
                "chapUser is blank: leave it out for no CHAP", "chapUser");
        assertInvalid(api.send("PUT", access, accessBody("", "u", SECRET, "m", null)),
                "mutualChapSecret is required with mutualChapUser", "mutualChapSecret");
        assertInvalid(api.send("PUT", access, accessBody("", null, null, "m", MUTUAL_SECRET)),
                "mutual CHAP needs one-way CHAP too: give chapUser and chapSecret", "chapUser");
        assertThat(iscsi.calls).isEmpty();
        // Length and meaning are the node's to judge: its refusal comes back as it was.
        assertError(api.send("PUT", access, accessBody("", "u", "short", null, null)), 400, "invalid",
                "the CHAP secret must be 12 to 16 characters");
    }

    @Test
    void chapSecretsStayOutOfTheLogAndOfErrors() {
        String access = GROUPS + "/san/access";
        try (LogCapture log = new LogCapture(org.slf4j.Logger.ROOT_LOGGER_NAME, "io.keel.api.Errors")) {
            HttpResponse<String> malformed = api.send("PUT", access,
                    "{\"initiators\":[],\"chapUser\":\"u\",\"chapSecret\": " + SECRET + "}");
            assertError(malformed, 400, "invalid", "malformed JSON");
            HttpResponse<String> typo = api.send("PUT", access,
                    "{\"initiators\":[],\"chapUser\":\"u\",\"chapSecrt\":\"" + SECRET + "\"}");
            assertError(typo, 400, "invalid", "unknown field \"chapSecrt\" at chapSecrt");
            iscsi.quoteRequestInFailure = true;
            HttpResponse<String> failed = api.send("PUT", access, accessBody("", "u", SECRET, "m", MUTUAL_SECRET));
            assertError(failed, 500, "internal", "internal error");
            assertThat(List.of(malformed.body(), typo.body(), failed.body())).noneSatisfy(body -> assertThat(body)
                    .containsAnyOf(SECRET, MUTUAL_SECRET));
            // The failure is logged with the request, whose secrets print as ***.
            assertThat(log.lines()).anySatisfy(line -> assertThat(line).contains("PUT /api/v1/iscsi/groups/{group}/access",
                    "chapUser=u, chapSecret=***", "mutualChapSecret=***"));
            assertThat(log.lines()).noneSatisfy(line -> assertThat(line).containsAnyOf(SECRET, MUTUAL_SECRET));
        }
    }

    @Test
    void lunsAttachListAndDetach() {
        HttpResponse<String> first = api.send("POST", GROUPS + "/san/luns", "{\"volume\":\"db\"}");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        assertThat(json(first).get("lun").asInt()).isZero();
        assertThat(json(first).get("paths").get(0).get("alua").asText()).isEqualTo("active/optimized");
        assertThat(json(first).get("paths").get(1).get("alua").asText()).isEqualTo("standby");
        HttpResponse<String> fifth = api.send("POST", GROUPS + "/san/luns", "{\"volume\":\"db\",\"lun\":16383}");
        assertThat(fifth.statusCode()).as(fifth.body()).isEqualTo(201);
        assertThat(json(fifth).get("lun").asInt()).isEqualTo(16383);
        assertThat(iscsi.calls).containsExactly(new AttachIscsiLunRequest("db", null), new AttachIscsiLunRequest("db", 16383));

        HttpResponse<String> list = api.send("GET", GROUPS + "/g-1/luns", null);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(json(list)).hasSize(2);
        assertThat(json(list).get(1).get("volumeName").asText()).isEqualTo("db");

        assertError(api.send("POST", GROUPS + "/san/luns", "{\"volume\":\"db\",\"lun\":0}"), 409, "conflict",
                "LUN 0 of group san is in use");
        assertError(api.send("POST", GROUPS + "/san/luns", "{\"volume\":\"nope\"}"), 404, "not_found", "no volume nope");
        assertError(api.send("DELETE", GROUPS + "/san", null), 409, "conflict", "iSCSI group san has LUNs: remove them first");
        HttpResponse<String> detached = api.send("DELETE", GROUPS + "/san/luns/16383", null);
        assertThat(detached.statusCode()).as(detached.body()).isEqualTo(204);
        assertError(api.send("DELETE", GROUPS + "/san/luns/7", null), 404, "not_found", "group san has no LUN 7");
        assertThat(iscsi.calls).contains("detach san 16383", "detach san 7");
    }

    @Test
    void lunNumbersAreCheckedBeforeTheServiceIsAsked() {
        String luns = GROUPS + "/san/luns";
        assertInvalid(api.send("POST", luns, "{\"lun\":1}"), "volume is required", "volume");
        assertInvalid(api.send("POST", luns, "{\"volume\":\"db\",\"lun\":16384}"), "lun must be from 0 to 16383, not 16384", "lun");
        assertInvalid(api.send("POST", luns, "{\"volume\":\"db\",\"lun\":-1}"), "lun must be from 0 to 16383, not -1", "lun");
        HttpResponse<String> quoted = api.send("POST", luns, "{\"volume\":\"db\",\"lun\":\"3\"}");
        assertThat(quoted.statusCode()).isEqualTo(400);
        assertThat(json(quoted).get("details").get("field").asText()).isEqualTo("lun");
        assertInvalid(api.send("DELETE", luns + "/abc", null), "lun must be a whole number from 0 to 16383, not 'abc'", "lun");
        assertInvalid(api.send("DELETE", luns + "/16384", null), "lun must be from 0 to 16383, not 16384", "lun");
        assertInvalid(api.send("DELETE", luns + "/-2", null), "lun must be from 0 to 16383, not -2", "lun");
        assertThat(iscsi.calls).isEmpty();
    }

    @Test
    void everyRouteNeedsASession() {
        for (String[] route : new String[][] {{"GET", GROUPS}, {"POST", GROUPS}, {"GET", GROUPS + "/san"},
                {"DELETE", GROUPS + "/san"}, {"PUT", GROUPS + "/san/access"}, {"GET", GROUPS + "/san/luns"},
                {"POST", GROUPS + "/san/luns"}, {"DELETE", GROUPS + "/san/luns/0"}}) {
            HttpResponse<String> r = api.http.send(route[0], route[1], route[0].equals("GET") ? null : "{}");
            assertThat(r.statusCode()).as(String.join(" ", route)).isEqualTo(401);
            HttpResponse<String> forged = api.http.send(route[0], route[1], null, "Authorization", "Bearer forged.token");
            assertThat(forged.statusCode()).as(String.join(" ", route)).isEqualTo(401);
        }
        assertThat(iscsi.calls).isEmpty();
    }

    @Test
    void aNodeThatDoesNotServeIscsiAnswers503() {
        try (LoggedInApi plain = new LoggedInApi(new FakeClusterService(), services -> services)) {
            assertError(plain.send("GET", GROUPS, null), 503, "unavailable", "iSCSI target groups are not served by this node");
            assertError(plain.send("PUT", GROUPS + "/san/access", "{\"initiators\":[]}"), 503, "unavailable",
                    "iSCSI target groups are not served by this node");
            assertError(plain.send("DELETE", GROUPS + "/san/luns/0", null), 503, "unavailable",
                    "iSCSI target groups are not served by this node");
        }
    }

    private static void assertInvalid(HttpResponse<String> r, String message, String field) {
        assertError(r, 400, "invalid", message);
        assertThat(json(r).get("details").get("field").asText()).isEqualTo(field);
    }

    /** An access body; {@code initiators} is the inside of the JSON list, a null field is left out. */
    private static String accessBody(String initiators, String user, String secret, String mutualUser, String mutualSecret) {
        StringBuilder sb = new StringBuilder("{\"initiators\":[" + initiators + "]");
        field(sb, "chapUser", user);
        field(sb, "chapSecret", secret);
        field(sb, "mutualChapUser", mutualUser);
        field(sb, "mutualChapSecret", mutualSecret);
        return sb.append('}').toString();
    }

    private static void field(StringBuilder sb, String name, String value) {
        if (value != null) {
            sb.append(",\"").append(name).append("\":\"").append(value).append('"');
        }
    }
}
