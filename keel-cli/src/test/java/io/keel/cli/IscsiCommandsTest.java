package io.keel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code keel iscsi group ...} and {@code keel iscsi lun ...}. */
class IscsiCommandsTest extends CliTestBase {
    private static final String GROUPS = "/api/v1/iscsi/groups";
    private static final String SECRET = "0123456789ab";
    private static final String MUTUAL = "mutual-secret-16";

    static final String LUN0 = """
            {"lun":0,"volume":"v-1","volumeName":"db","sizeBytes":1073741824,"activeNode":"n-1","activeNodeName":"node1",
             "haState":"started","paths":[
               {"node":"n-1","nodeName":"node1","iqn":"iqn.2026-12.io.keel:san.node1","portal":"10.0.0.1:3260","portGroup":1,"alua":"active/optimized"},
               {"node":"n-2","nodeName":"node2","iqn":"iqn.2026-12.io.keel:san.node2","portal":"10.0.0.2:3260","portGroup":2,"alua":"standby"}]}""";

    static String group(String luns, String access) {
        return """
                {"id":"g-1","name":"san","targets":[
                  {"node":"n-1","nodeName":"node1","iqn":"iqn.2026-12.io.keel:san.node1","portal":"10.0.0.1:3260","portGroup":1,
                   "state":"online","sessions":2,"readOps":10,"writeOps":20,"readBytes":4096,"writeBytes":1048576},
                  {"node":"n-2","nodeName":"node2","iqn":"iqn.2026-12.io.keel:san.node2","portal":"10.0.0.2:3260","portGroup":2,
                   "state":"offline","sessions":0,"readOps":0,"writeOps":0,"readBytes":0,"writeBytes":0}],
                 "luns":[%s],"access":%s,"createdAt":"2026-11-22T10:00:00.123Z"}""".formatted(luns, access);
    }

    static final String OPEN = "{\"initiators\":[],\"chapUser\":null,\"mutualChap\":false}";
    static final String LOCKED = "{\"initiators\":[\"iqn.1993-08.org.debian:01:web1\"],\"chapUser\":\"web\",\"mutualChap\":true}";

    @BeforeEach
    void session() throws Exception {
        loggedIn();
    }

    @Test
    void createSendsEachNodeAndPrintsTheTargets() {
        api.on("POST", GROUPS, 201, group("", OPEN));
        Result r = run("iscsi", "group", "create", "san", "--node", "node1=10.1.0.1", "--node", "node2");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(api.only().body()).isEqualTo(
                "{\"name\":\"san\",\"nodes\":[{\"node\":\"node1\",\"address\":\"10.1.0.1\"},{\"node\":\"node2\"}]}");
        assertThat(r.out()).contains("Created iSCSI group san with 2 targets:",
                "  NODE   IQN                            PORTAL\n",
                "  node1  iqn.2026-12.io.keel:san.node1  10.0.0.1:3260\n",
                "Access: any initiator, CHAP none",
                "iscsiadm -m discovery -t sendtargets -p 10.0.0.1:3260");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void createWithOneNodeWarnsThatThereIsNoFailover() {
        api.on("POST", GROUPS, 201, group("", OPEN));
        Result r = run("iscsi", "group", "create", "san", "--node", "node1");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(api.only().body()).isEqualTo("{\"name\":\"san\",\"nodes\":[{\"node\":\"node1\"}]}");
        assertThat(r.err()).startsWith("warning: group san has a single node").contains("no path failover");
    }

    @Test
    void createRefusesMalformedNodesWithoutCallingTheApi() {
        Result empty = run("iscsi", "group", "create", "san", "--node", "node1=");
        assertThat(empty.exit()).isEqualTo(2);
        assertThat(empty.err()).contains("no address after '=' in 'node1='");
        assertThat(run("iscsi", "group", "create", "san", "--node", "=10.0.0.1").err())
                .contains("expected NODE or NODE=ADDRESS, got '=10.0.0.1'");
        Result none = run("iscsi", "group", "create", "san");
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("--node");
        assertThat(api.requests()).isEmpty();
    }

    @Test
    void listSummarisesEachGroup() {
        api.on("GET", GROUPS, 200, "[" + group(LUN0, LOCKED) + "]");
        Result r = run("iscsi", "group", "list");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).isEqualTo("""
                NAME  TARGETS ONLINE  SESSIONS  LUNS  INITIATORS  CHAP
                san   1/2             2         1     1           mutual
                """);
        api.on("GET", GROUPS, 200, "[]");
        assertThat(run("iscsi", "group", "list").out()).isEqualTo("(no iSCSI groups)\n");
    }

    @Test
    void showPrintsAccessTargetsAndEachLunsPaths() {
        api.on("GET", GROUPS + "/san", 200, group(LUN0, LOCKED));
        Result r = run("iscsi", "group", "show", "san");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).startsWith("""
                name: san
                id: g-1
                created: 2026-11-22T10:00:00Z
                initiators: iqn.1993-08.org.debian:01:web1
                CHAP: user web, mutual (the targets authenticate too)
                Targets:
                """);
        assertThat(r.out()).contains(
                "  NODE   IQN                            PORTAL         TPG  STATE    SESSIONS  READ OPS  WRITE OPS  READ     WRITTEN\n",
                "  node1  iqn.2026-12.io.keel:san.node1  10.0.0.1:3260  1    online   2         10        20         4.0 KiB  1.0 MiB\n",
                "  node2  iqn.2026-12.io.keel:san.node2  10.0.0.2:3260  2    offline  0         0         0          0 B      0 B\n",
                "LUNs:\n  LUN  VOLUME  SIZE     HA       PATH   PORTAL         TPG  ALUA\n",
                "  0    db      1.0 GiB  started  node1  10.0.0.1:3260  1    active/optimized\n",
                "                                 node2  10.0.0.2:3260  2    standby\n");
    }

    @Test
    void jsonOutputIsTheApisAnswer() throws Exception {
        api.on("GET", GROUPS + "/g%201", 200, group(LUN0, LOCKED));
        Result r = run("-o", "json", "iscsi", "group", "show", "g 1");
        assertThat(r.exit()).as(r.all()).isZero();
        ObjectMapper m = new ObjectMapper();
        assertThat(m.readTree(r.out())).isEqualTo(m.readTree(group(LUN0, LOCKED)));
    }

    @Test
    void deleteAsksForTheNameAndShowsTheRefusal() {
        api.on("DELETE", GROUPS + "/san", 204, "");
        stdin = "other\n";
        Result refused = run("iscsi", "group", "delete", "san");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("iSCSI group san not deleted: the name typed did not match");
        assertThat(api.requests()).isEmpty();
        stdin = "san\n";
        assertThat(run("iscsi", "group", "delete", "san").out()).isEqualTo("Deleted iSCSI group san.\n");
        api.on("DELETE", GROUPS + "/san", 409, """
                {"code":"conflict","message":"iSCSI group san has 1 LUN: remove it first","details":{}}""");
        Result busy = run("iscsi", "group", "delete", "san", "--yes");
        assertThat(busy.exit()).isEqualTo(1);
        assertThat(busy.err()).isEqualTo("error: iSCSI group san has 1 LUN: remove it first (conflict, HTTP 409)\n");
    }

    @Test
    void accessReadsTheSecretFromAFileAndNeverPrintsIt() throws Exception {
        Path file = tmp.resolve("chap");
        Files.writeString(file, SECRET + "\n");
        api.on("PUT", GROUPS + "/san/access", 200, group("", LOCKED.replace("true", "false")));
        Result r = run("iscsi", "group", "access", "san", "--initiator", "iqn.1993-08.org.debian:01:web1",
                "--chap-user", "web", "--chap-secret-file", file.toString());
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(api.only().body()).isEqualTo("{\"initiators\":[\"iqn.1993-08.org.debian:01:web1\"],"
                + "\"chapUser\":\"web\",\"chapSecret\":\"" + SECRET + "\"}");
        assertThat(r.out()).contains("Access to iSCSI group san set:", "initiators: iqn.1993-08.org.debian:01:web1",
                "CHAP: user web, one-way");
        assertThat(r.all()).doesNotContain(SECRET);
    }

    @Test
    void accessWarnsWhenOthersCanReadTheSecretFile() throws Exception {
        Path file = tmp.resolve("chap");
        Files.writeString(file, SECRET);
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        api.on("PUT", GROUPS + "/san/access", 200, group("", LOCKED));
        Result r = run("iscsi", "group", "access", "san", "--any-initiator", "--chap-user", "web",
                "--chap-secret-file", file.toString());
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.err()).contains("warning: " + file + " can be read by other users: chmod 600 it");
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        assertThat(run("iscsi", "group", "access", "san", "--any-initiator", "--chap-user", "web",
                "--chap-secret-file", file.toString()).err()).isEmpty();
    }

    @Test
    void accessAsksForTheSecretsOnTheTerminal() {
        typedPassword = SECRET.toCharArray();
        api.on("PUT", GROUPS + "/san/access", 200, group("", LOCKED));
        Result r = run("iscsi", "group", "access", "san", "--any-initiator", "--chap-user", "web");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(api.only().body()).isEqualTo("{\"initiators\":[],\"chapUser\":\"web\",\"chapSecret\":\"" + SECRET + "\"}");
        assertThat(r.all()).doesNotContain(SECRET);
        typedPassword = null;
        Result noTerminal = run("iscsi", "group", "access", "san", "--any-initiator", "--chap-user", "web");
        assertThat(noTerminal.exit()).isEqualTo(1);
        assertThat(noTerminal.err()).isEqualTo(
                "error: no terminal to read the CHAP secret from: use --chap-secret-file FILE\n");
        assertThat(api.requests()).hasSize(1);
    }

    @Test
    void mutualChapNeedsASecondDifferentSecret() throws Exception {
        Path one = tmp.resolve("one");
        Path two = tmp.resolve("two");
        Files.writeString(one, SECRET);
        Files.writeString(two, MUTUAL + "\r\n");
        api.on("PUT", GROUPS + "/san/access", 200, group("", LOCKED));
        Result same = run("iscsi", "group", "access", "san", "--any-initiator", "--chap-user", "web",
                "--chap-secret-file", one.toString(), "--mutual-chap-user", "keel", "--mutual-chap-secret-file", one.toString());
        assertThat(same.exit()).isEqualTo(1);
        assertThat(same.err()).contains("the mutual CHAP secret must differ from the CHAP secret");
        assertThat(api.requests()).isEmpty();
        Result r = run("iscsi", "group", "access", "san", "--any-initiator", "--chap-user", "web",
                "--chap-secret-file", one.toString(), "--mutual-chap-user", "keel", "--mutual-chap-secret-file", two.toString());
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(api.only().body()).isEqualTo("{\"initiators\":[],\"chapUser\":\"web\",\"chapSecret\":\"" + SECRET
                + "\",\"mutualChapUser\":\"keel\",\"mutualChapSecret\":\"" + MUTUAL + "\"}");
        assertThat(r.out()).contains("CHAP: user web, mutual");
    }

    @Test
    void secretsInitiatorsRefuseAreRefusedWithoutBeingShown() throws Exception {
        Path file = tmp.resolve("chap");
        for (String bad : new String[] {"short-pw", "seventeen-chars-x"}) {
            Files.writeString(file, bad);
            Result r = run("iscsi", "group", "access", "san", "--any-initiator", "--chap-user", "web",
                    "--chap-secret-file", file.toString());
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err()).isEqualTo("error: the CHAP secret must be 12 to 16 characters long, not " + bad.length()
                    + " (initiators such as open-iscsi and Windows refuse other lengths)\n");
        }
        Files.writeString(file, "tab\there-12345");
        assertThat(run("iscsi", "group", "access", "san", "--any-initiator", "--chap-user", "web",
                "--chap-secret-file", file.toString()).err()).contains("only printable ASCII characters");
        Files.writeString(file, "");
        assertThat(run("iscsi", "group", "access", "san", "--any-initiator", "--chap-user", "web",
                "--chap-secret-file", file.toString()).err()).contains("the CHAP secret file " + file + " is empty");
        assertThat(run("iscsi", "group", "access", "san", "--any-initiator", "--chap-user", "web",
                "--chap-secret-file", tmp.resolve("missing").toString()).err())
                .contains("cannot read the CHAP secret: no file " + tmp.resolve("missing"));
        typedPassword = "too-short".toCharArray();
        assertThat(run("iscsi", "group", "access", "san", "--any-initiator", "--chap-user", "web").err())
                .contains("must be 12 to 16 characters long, not 9").doesNotContain("too-short");
        assertThat(api.requests()).isEmpty();
    }

    @Test
    void accessNeedsTheWholeSettingAndNoSecretOnTheCommandLine() {
        String[][] usages = {
            {"--chap-user", "web"}, {"--initiator", "iqn.a.b", "--any-initiator", "--no-chap"},
            {"--any-initiator"}, {"--any-initiator", "--no-chap", "--chap-user", "web"},
            {"--any-initiator", "--no-chap", "--mutual-chap-user", "keel"},
            {"--any-initiator", "--mutual-chap-user", "keel"},
            {"--any-initiator", "--no-chap", "--chap-secret-file", "f"},
            {"--initiator", "web1", "--no-chap"}, {"--any-initiator", "--chap-user", "web", "--chap-secret", SECRET}};
        String[] messages = {"say which initiators may log in", "contradict each other", "say how initiators authenticate",
            "--no-chap contradicts", "--no-chap contradicts", "mutual CHAP needs one-way CHAP too",
            "--chap-secret-file needs --chap-user", "'web1' is not an initiator name",
            "never given on the command line"};
        for (int i = 0; i < usages.length; i++) {
            String[] args = new String[usages[i].length + 4];
            System.arraycopy(new String[] {"iscsi", "group", "access", "san"}, 0, args, 0, 4);
            System.arraycopy(usages[i], 0, args, 4, usages[i].length);
            Result r = run(args);
            assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.err()).as(String.join(" ", args)).contains(messages[i]).doesNotContain(SECRET);
        }
        assertThat(api.requests()).isEmpty();
    }

    @Test
    void openAccessSendsAnEmptyListAndNoChap() {
        api.on("PUT", GROUPS + "/san/access", 200, group("", OPEN));
        Result r = run("iscsi", "group", "access", "san", "--any-initiator", "--no-chap");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(api.only().body()).isEqualTo("{\"initiators\":[]}");
        assertThat(r.out()).contains("initiators: any initiator", "CHAP: none");
    }

    @Test
    void lunAddListAndRemove() {
        api.on("POST", GROUPS + "/san/luns", 201, LUN0.replace("\"lun\":0", "\"lun\":3"));
        Result added = run("iscsi", "lun", "add", "san", "db", "--lun", "3");
        assertThat(added.exit()).as(added.all()).isZero();
        assertThat(api.only().body()).isEqualTo("{\"volume\":\"db\",\"lun\":3}");
        assertThat(added.out()).startsWith("Exported volume db (1.0 GiB) from iSCSI group san as LUN 3:"
                + " node1 active/optimized, node2 standby.\n");
        assertThat(run("iscsi", "lun", "add", "san", "db").exit()).isZero();
        assertThat(api.requests().get(1).body()).isEqualTo("{\"volume\":\"db\"}");

        api.on("GET", GROUPS + "/san/luns", 200, "[" + LUN0 + "]");
        assertThat(run("iscsi", "lun", "list", "san").out()).isEqualTo("""
                LUN  VOLUME  SIZE     HA       PATH   PORTAL         TPG  ALUA
                0    db      1.0 GiB  started  node1  10.0.0.1:3260  1    active/optimized
                                               node2  10.0.0.2:3260  2    standby
                """);
        api.on("DELETE", GROUPS + "/san/luns/3", 204, "");
        Result removed = run("iscsi", "lun", "remove", "san", "3");
        assertThat(removed.exit()).as(removed.all()).isZero();
        assertThat(removed.out()).isEqualTo("Removed LUN 3 from iSCSI group san; the volume is kept.\n");
    }

    @Test
    void lunNumbersAreCheckedAndTheApisRefusalShown() {
        assertThat(run("iscsi", "lun", "add", "san", "db", "--lun", "16384").err())
                .contains("--lun must be from 0 to 16383, not 16384");
        assertThat(run("iscsi", "lun", "remove", "san", "-1").exit()).isEqualTo(2);
        assertThat(run("iscsi", "lun", "remove", "san", "zero").exit()).isEqualTo(2);
        assertThat(api.requests()).isEmpty();
        api.on("POST", GROUPS + "/san/luns", 404, """
                {"code":"not_found","message":"no volume nope","details":{}}""");
        Result r = run("iscsi", "lun", "add", "san", "nope");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("error: no volume nope (not_found, HTTP 404)\n");
    }

    @Test
    void helpExplainsTheGroupsAndSecrets() {
        Result r = run("iscsi", "group", "access", "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("--chap-secret-file", "12 to 16 characters", "replaces the group's whole access");
        assertThat(run("iscsi", "--help").out()).contains("group", "lun");
    }
}
