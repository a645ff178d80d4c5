package io.keel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code keel s3 cluster|user|key|bucket ...}. */
class S3CommandsTest extends CliTestBase {
    private static final String S3 = "/api/v1/s3";
    private static final String CERT = "-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----\\n";
    private static final String KEY_MARKER = "TOP-SECRET-KEY-MATERIAL";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    static String cluster(String protocol, int http, int https, boolean selfSigned) {
        String cert = https == 0 ? "null" : "\"" + CERT + "\"";
        String names = https == 0 ? "null" : "[\"s3.example.com\",\"*.s3.example.com\"]";
        String notAfter = https == 0 ? "null" : "\"2029-03-07T12:00:00Z\"";
        return """
                {"nodes":[{"node":"n-1","nodeName":"node1"},{"node":"n-2","nodeName":"node2"}],"policy":"single",
                 "endpoints":["s3.example.com"],"protocol":"%s","httpPort":%d,"httpsPort":%d,"selfSignedCertificate":%s,
                 "certificatePem":%s,"certificateNames":%s,"certificateNotAfter":%s,"indexShards":["idx-0"],
                 "createdAt":"2026-11-22T10:00:00.5Z"}""".formatted(protocol, http, https, selfSigned, cert, names, notAfter);
    }

    static final String ALICE = """
            {"id":"u-1","email":"alice@example.com","displayName":"alice","suspended":false,"activeKeys":1,"buckets":2,
             "createdAt":"2026-11-22T10:00:00Z"}""";
    static final String KEY = """
            {"accessKeyId":"KEELAAAAAAAAAAAAAAAA","userId":"u-1","userEmail":"alice@example.com","state":"ACTIVE",
             "createdAt":"2026-11-22T10:00:00Z","revokedAt":null}""";

    @BeforeEach
    void session() throws Exception {
        loggedIn();
    }

    @Test
    void clusterCreateWithASelfSignedCertificateSaysHowToTrustIt() {
        api.on("POST", S3 + "/cluster", 201, cluster("HTTPS", 0, 7443, true));
        Result r = run("s3", "cluster", "create", "--node", "node1", "--node", "node2", "--policy", "single",
                "--endpoint", "s3.example.com", "--self-signed");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(api.only().body()).isEqualTo("{\"nodes\":[\"node1\",\"node2\"],\"policy\":\"single\","
                + "\"endpoints\":[\"s3.example.com\"],\"selfSignedCertificate\":true}");
        assertThat(r.out()).isEqualTo("""
                Created the S3 cluster:
                nodes: node1, node2
                storage policy: single
                endpoints: s3.example.com
                protocol: HTTPS (HTTPS port 7443)
                URLs: https://s3.example.com:7443
                certificate: self-signed by Keel, for s3.example.com,*.s3.example.com, expires 2029-03-07T12:00:00Z
                index shards: idx-0
                created: 2026-11-22T10:00:00Z
                The certificate is self-signed: clients must be told to trust it. Save it with 'keel s3 cluster show\
                 --certificate > keel-s3.pem' and give it to them (e.g. AWS_CA_BUNDLE=keel-s3.pem for the AWS CLI and SDKs).
                """);
        assertThat(r.err()).isEmpty();
    }

    @Test
    void clusterCreateSendsTheAdministratorsCertificateAndNeverPrintsTheKey() throws Exception {
        Path cert = tmp.resolve("cert.pem");
        Path key = tmp.resolve("key.pem");
        Files.writeString(cert, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n" + KEY_MARKER + "\n-----END PRIVATE KEY-----\n");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        api.on("POST", S3 + "/cluster", 201, cluster("BOTH", 7480, 7443, false));
        Result r = run("s3", "cluster", "create", "--node", "node1", "--policy", "single", "--endpoint", "s3.example.com",
                "--protocol", "both", "--http-port", "7480", "--cert", cert.toString(), "--key", key.toString());
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(api.only().body()).contains("\"protocol\":\"BOTH\"", "\"httpPort\":7480",
                "\"certificatePem\":\"-----BEGIN CERTIFICATE-----\\nMIIB", "\"privateKeyPem\":\"-----BEGIN PRIVATE KEY-----\\n"
                + KEY_MARKER);
        assertThat(r.out()).contains("protocol: BOTH (HTTP port 7480, HTTPS port 7443)",
                "URLs: https://s3.example.com:7443, http://s3.example.com:7480", "certificate: given by the administrator")
                .doesNotContain("self-signed");
        assertThat(r.err()).contains("warning: " + key + " can be read by other users: chmod 600 it",
                "warning: the S3 cluster has a single gateway node");
        assertThat(r.all()).doesNotContain(KEY_MARKER);
    }

    @Test
    void clusterOptionsAreCheckedBeforeAnythingIsSent() {
        String[][] usages = {
            {"create", "--node", "n1", "--policy", "p", "--endpoint", "e", "--protocol", "ftp"},
            {"create", "--node", "n1", "--policy", "p", "--endpoint", "e", "--cert", "c.pem"},
            {"create", "--node", "n1", "--policy", "p", "--endpoint", "e", "--self-signed", "--cert", "c", "--key", "k"},
            {"create", "--node", "n1", "--policy", "p", "--endpoint", "e", "--https-port", "0"},
            {"create", "--policy", "p", "--endpoint", "e"},
            {"update"}};
        String[] messages = {"--protocol must be http, https or both, not 'ftp'", "--cert and --key go together",
            "--self-signed and --cert contradict each other", "ports are 1-65535, not 0", "--node", "nothing to change"};
        for (int i = 0; i < usages.length; i++) {
            String[] args = new String[usages[i].length + 2];
            args[0] = "s3";
            args[1] = "cluster";
            System.arraycopy(usages[i], 0, args, 2, usages[i].length);
            Result r = run(args);
            assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.err()).as(String.join(" ", args)).contains(messages[i]);
        }
        Result missing = run("s3", "cluster", "create", "--node", "n1", "--policy", "p", "--endpoint", "e",
                "--cert", tmp.resolve("nope.pem").toString(), "--key", tmp.resolve("nope.key").toString());
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("cannot read the certificate: no file");
        assertThat(api.requests()).isEmpty();
    }

    @Test
    void clusterShowUpdateAndDelete() throws Exception {
        api.on("GET", S3 + "/cluster", 200, cluster("BOTH", 7480, 7443, true));
        Result shown = run("s3", "cluster", "show");
        assertThat(shown.exit()).as(shown.all()).isZero();
        assertThat(shown.out()).contains("nodes: node1, node2\n", "certificate: self-signed by Keel");
        Result pem = run("s3", "cluster", "show", "--certificate");
        assertThat(pem.out()).isEqualTo("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
        ObjectMapper m = new ObjectMapper();
        assertThat(m.readTree(run("-o", "json", "s3", "cluster", "show").out()))
                .isEqualTo(m.readTree(cluster("BOTH", 7480, 7443, true)));

        api.on("PATCH", S3 + "/cluster", 200, cluster("HTTP", 7480, 0, false));
        Result updated = run("s3", "cluster", "update", "--protocol", "HTTP", "--endpoint", "s3.example.com");
        assertThat(updated.exit()).as(updated.all()).isZero();
        assertThat(api.requests().getLast().body()).isEqualTo("{\"endpoints\":[\"s3.example.com\"],\"protocol\":\"HTTP\"}");
        assertThat(updated.out()).startsWith("Updated the S3 cluster:\n").contains("URLs: http://s3.example.com:7480")
                .doesNotContain("certificate:");
        api.on("GET", S3 + "/cluster", 200, cluster("HTTP", 7480, 0, false));
        Result noCert = run("s3", "cluster", "show", "--certificate");
        assertThat(noCert.exit()).isEqualTo(1);
        assertThat(noCert.err()).contains("serves no HTTPS");

        int before = api.requests().size();
        stdin = "no\n";
        Result refused = run("s3", "cluster", "delete");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("S3 cluster not deleted: the name typed did not match");
        assertThat(api.requests()).hasSize(before);
        api.on("DELETE", S3 + "/cluster", 409, """
                {"code":"conflict","message":"the S3 cluster still has 1 bucket(s) (\\"photos\\")","details":{}}""");
        Result busy = run("s3", "cluster", "delete", "--yes");
        assertThat(busy.exit()).isEqualTo(1);
        assertThat(busy.err()).isEqualTo("error: the S3 cluster still has 1 bucket(s) (\"photos\") (conflict, HTTP 409)\n");
        api.on("DELETE", S3 + "/cluster", 204, "");
        stdin = "s3\n";
        assertThat(run("s3", "cluster", "delete").out()).isEqualTo("Deleted the S3 cluster; users and their keys are kept.\n");
    }

    @Test
    void usersCreateListShowSuspendResumeAndDelete() {
        api.on("POST", S3 + "/users", 201, ALICE);
        Result created = run("s3", "user", "create", "alice@example.com", "--display-name", "Alice A.");
        assertThat(created.exit()).as(created.all()).isZero();
        assertThat(api.only().body()).isEqualTo("{\"email\":\"alice@example.com\",\"displayName\":\"Alice A.\"}");
        assertThat(created.out()).startsWith("Created S3 user alice@example.com:\nemail: alice@example.com\n");

        api.on("GET", S3 + "/users", 200, "[" + ALICE + "]");
        assertThat(run("s3", "user", "list").out()).isEqualTo("""
                EMAIL              NAME   ID   STATE   ACTIVE KEYS  BUCKETS  CREATED
                alice@example.com  alice  u-1  active  1            2        2026-11-22T10:00:00Z
                """);
        api.on("GET", S3 + "/users", 200, "[]");
        assertThat(run("s3", "user", "list").out()).isEqualTo("(no S3 users)\n");

        api.on("GET", S3 + "/users/alice%40example.com", 200, ALICE);
        api.on("GET", S3 + "/keys", 200, "[" + KEY + "]");
        Result shown = run("s3", "user", "show", "alice@example.com");
        assertThat(shown.exit()).as(shown.all()).isZero();
        assertThat(shown.out()).contains("state: active\n", "Access keys:\n",
                "  ACCESS KEY ID         USER               STATE   CREATED               REVOKED\n",
                "  KEELAAAAAAAAAAAAAAAA  alice@example.com  active  2026-11-22T10:00:00Z  -\n");
        assertThat(api.requests().getLast().query()).isEqualTo("user=alice%40example.com");

        api.on("POST", S3 + "/users/u-1/suspend", 200, ALICE.replace("\"suspended\":false", "\"suspended\":true"));
        assertThat(run("s3", "user", "suspend", "u-1").out()).startsWith("Suspended S3 user alice@example.com:")
                .contains("state: suspended (its keys do not authenticate)");
        api.on("POST", S3 + "/users/u-1/resume", 200, ALICE);
        assertThat(run("s3", "user", "resume", "u-1").out()).contains("state: active");

        api.on("DELETE", S3 + "/users/u-1", 409, """
                {"code":"conflict","message":"S3 user \\"alice@example.com\\" owns 2 bucket(s)","details":{}}""");
        assertThat(run("s3", "user", "delete", "u-1", "--yes").err())
                .isEqualTo("error: S3 user \"alice@example.com\" owns 2 bucket(s) (conflict, HTTP 409)\n");
        api.on("DELETE", S3 + "/users/u-1", 204, "");
        stdin = "u-1\n";
        assertThat(run("s3", "user", "delete", "u-1").out()).isEqualTo("Deleted S3 user u-1 and its access keys.\n");
    }

    @Test
    void keyCreatePrintsTheSecretOnceAndListNeverHasIt() {
        api.on("POST", S3 + "/keys", 201, """
                {"accessKeyId":"KEELAAAAAAAAAAAAAAAA","secretAccessKey":"%s","userId":"u-1",
                 "userEmail":"alice@example.com","createdAt":"2026-11-22T10:00:00Z"}""".formatted(SECRET));
        Result r = run("s3", "key", "create", "alice@example.com");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(api.only().body()).isEqualTo("{\"user\":\"alice@example.com\"}");
        assertThat(r.out()).isEqualTo("""
                Created an access key for S3 user alice@example.com:
                access key id:     KEELAAAAAAAAAAAAAAAA
                secret access key: %s
                """.formatted(SECRET));
        assertThat(r.err()).startsWith("Save the secret now: it cannot be shown again");
        assertThat(run("-o", "json", "s3", "key", "create", "u-1").out()).contains("\"secretAccessKey\": \"" + SECRET + "\"");

        api.on("POST", S3 + "/keys", 409, """
                {"code":"conflict","message":"S3 user \\"alice@example.com\\" has 2 active access keys","details":{}}""");
        assertThat(run("s3", "key", "create", "u-1").err()).contains("has 2 active access keys (conflict, HTTP 409)");

        api.on("GET", S3 + "/keys", 200, "[" + KEY + "," + KEY.replace("ACTIVE", "REVOKED")
                .replace("\"revokedAt\":null", "\"revokedAt\":\"2026-11-23T10:00:00Z\"") + "]");
        Result list = run("s3", "key", "list", "--user", "u-1");
        assertThat(list.out()).isEqualTo("""
                ACCESS KEY ID         USER               STATE    CREATED               REVOKED
                KEELAAAAAAAAAAAAAAAA  alice@example.com  active   2026-11-22T10:00:00Z  -
                KEELAAAAAAAAAAAAAAAA  alice@example.com  revoked  2026-11-22T10:00:00Z  2026-11-23T10:00:00Z
                """);
        assertThat(api.requests().getLast().query()).isEqualTo("user=u-1");
        api.on("GET", S3 + "/keys", 200, "[]");
        assertThat(run("s3", "key", "list").out()).isEqualTo("(no access keys)\n");
        assertThat(api.requests().getLast().query()).isNull();
    }

    @Test
    void keyRevokeAsksForTheKeyId() {
        api.on("POST", S3 + "/keys/KEELAAAAAAAAAAAAAAAA/revoke", 200,
                KEY.replace("ACTIVE", "REVOKED").replace("\"revokedAt\":null", "\"revokedAt\":\"2026-11-23T10:00:00Z\""));
        stdin = "KEELB\n";
        Result refused = run("s3", "key", "revoke", "KEELAAAAAAAAAAAAAAAA");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("access key KEELAAAAAAAAAAAAAAAA not revoked");
        assertThat(api.requests()).isEmpty();
        stdin = "KEELAAAAAAAAAAAAAAAA\n";
        Result r = run("s3", "key", "revoke", "KEELAAAAAAAAAAAAAAAA");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).isEqualTo("Revoked access key KEELAAAAAAAAAAAAAAAA of S3 user alice@example.com"
                + " (2026-11-23T10:00:00Z).\n");
        api.on("POST", S3 + "/keys/KEELX/revoke", 404, """
                {"code":"not_found","message":"no access key KEELX","details":{}}""");
        assertThat(run("s3", "key", "revoke", "KEELX", "--yes").err())
                .isEqualTo("error: no access key KEELX (not_found, HTTP 404)\n");
    }

    @Test
    void bucketListShowsOwnerAndVersioning() {
        api.on("GET", S3 + "/buckets", 200, """
                [{"name":"photos","ownerId":"u-1","ownerEmail":"alice@example.com","versioning":"ENABLED",
                  "createdAt":"2026-11-22T10:00:00Z"},
                 {"name":"orphan","ownerId":"u-9","ownerEmail":null,"versioning":"UNVERSIONED",
                  "createdAt":"2026-11-22T11:00:00Z"}]""");
        assertThat(run("s3", "bucket", "list").out()).isEqualTo("""
                NAME    OWNER              VERSIONING   CREATED
                photos  alice@example.com  enabled      2026-11-22T10:00:00Z
                orphan  u-9                unversioned  2026-11-22T11:00:00Z
                """);
        api.on("GET", S3 + "/buckets", 200, "[]");
        assertThat(run("s3", "bucket", "list").out()).isEqualTo("(no buckets)\n");
    }

    @Test
    void sweepLifecycleSaysWhatTheSweepDid() {
        api.on("POST", S3 + "/lifecycle/sweep", 200, """
                {"buckets":2,"expired":4,"noncurrentRemoved":1,"uploadsAborted":0,"failedBuckets":1}""");
        assertThat(run("s3", "bucket", "sweep-lifecycle").out()).isEqualTo("""
                Swept 2 buckets with lifecycle rules: 4 objects expired, 1 noncurrent versions removed,\
                 0 multipart uploads aborted.
                1 buckets could not be swept (the node's log says why); the next sweep tries them again.
                """);
        api.on("POST", S3 + "/lifecycle/sweep", 409, """
                {"code":"conflict","message":"there is no S3 cluster","details":{}}""");
        assertThat(run("s3", "bucket", "sweep-lifecycle").err())
                .isEqualTo("error: there is no S3 cluster (conflict, HTTP 409)\n");
    }

    @Test
    void helpDescribesTheCommands() {
        assertThat(run("s3", "--help").out()).contains("cluster", "user", "key", "bucket");
        assertThat(run("s3", "cluster", "create", "--help").out()).contains("--self-signed", "--cert", "*.ENDPOINT");
        assertThat(run("s3", "key", "--help").out()).contains("at most 2 active keys");
    }
}
