package io.keel.iscsi.login;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.iscsi.login.TextKeys.Pair;
import io.keel.iscsi.pdu.Pdu;
import io.keel.iscsi.pdu.Segment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LoginMachineTest {
    private static final String TARGET = "iqn.2026-12.io.keel:t";
    private static final String INITIATOR = "iqn.2026-12.io.keel:init";
    private static final ChapSecret ALICE = new ChapSecret("alice", "keel-secret-1");
    private static final ChapSecret TGT = new ChapSecret("tgt", "target-secret-2");

    private static TargetCatalog catalog(AccessPolicy policy) {
        return new TargetCatalog() {
            @Override
            public Optional<AccessPolicy> access(String targetName) {
                return targetName.equals(TARGET) ? Optional.of(policy) : Optional.empty();
            }

            @Override
            public AccessPolicy discoveryAccess() {
                return AccessPolicy.open();
            }

            @Override
            public int portalGroupTag() {
                return 1;
            }
        };
    }

    private static LoginMachine machine(AccessPolicy policy) {
        AtomicInteger tsih = new AtomicInteger(41);
        return new LoginMachine(catalog(policy), TargetLimits.defaults(), new Random(3), tsih::incrementAndGet, 100);
    }

    private static Pdu.LoginRequest req(int csg, boolean transit, int nsg, String... kv) {
        List<Pair> pairs = new ArrayList<>();
        for (int i = 0; i < kv.length; i += 2) {
            pairs.add(new Pair(kv[i], kv[i + 1]));
        }
        return new Pdu.LoginRequest(transit, false, csg, transit ? nsg : 0, 0, 0, 0x80123456L, 0, 1, 0, 10, 0,
                Segment.of(TextKeys.encode(pairs)));
    }

    private static Map<String, String> keys(LoginMachine.Step s) throws Exception {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (Pair p : TextKeys.parse(s.response().data().bytes())) {
            m.put(p.key(), p.value());
        }
        return m;
    }

    @Test
    void chapResponsesMatchVectorsComputedIndependently() {
        byte[] ascending = new byte[16];
        for (int i = 0; i < 16; i++) {
            ascending[i] = (byte) i;
        }
        assertThat(HexFormat.of().formatHex(Chap.response(7, "keel-secret-1", ascending)))
                .isEqualTo("8d22b6876f4552cdac5f927ad6331ce6");
        byte[] a5 = new byte[16];
        Arrays.fill(a5, (byte) 0xa5);
        assertThat(HexFormat.of().formatHex(Chap.response(200, "target-secret-2", a5)))
                .isEqualTo("3a74e6af873af95c1ad65be923111551");
        assertThat(Chap.decodeBinary("0x0a0B")).containsExactly(10, 11);
        assertThat(Chap.decodeBinary("0bAAE=")).containsExactly(0, 1);
        assertThat(Chap.decodeBinary("0xzz")).isNull();
        assertThat(Chap.decodeBinary("12")).isNull();
    }

    @Test
    void noAuthenticationStraightToFullFeature() throws Exception {
        LoginMachine m = machine(AccessPolicy.open());
        LoginMachine.Step s = m.handle(req(0, true, 1, "InitiatorName", INITIATOR, "TargetName", TARGET,
                "SessionType", "Normal", "AuthMethod", "None"));
        assertThat(s.outcome()).isEqualTo(LoginMachine.Outcome.CONTINUE);
        assertThat(keys(s)).containsEntry("AuthMethod", "None").containsEntry("TargetPortalGroupTag", "1");
        assertThat(s.response().transit()).isTrue();
        assertThat(s.response().statSn()).isEqualTo(100);
        s = m.handle(req(1, true, 3, "HeaderDigest", "None", "MaxRecvDataSegmentLength", "65536",
                "X-vendor.key", "1"));
        assertThat(s.outcome()).isEqualTo(LoginMachine.Outcome.SUCCEEDED);
        assertThat(keys(s)).containsEntry("HeaderDigest", "None").containsEntry("X-vendor.key", "NotUnderstood")
                .containsEntry("MaxRecvDataSegmentLength", "262144");
        assertThat(s.response().tsih()).isEqualTo(42);
        LoginResult r = s.result().orElseThrow();
        assertThat(r.params().initiatorMaxRecv()).isEqualTo(65536);
        assertThat(r.statSn()).isEqualTo(102);
        assertThat(r.expCmdSn()).isEqualTo(10);
    }

    @Test
    void chapOneWayAndMutual() throws Exception {
        AccessPolicy policy = new AccessPolicy(Set.of(INITIATOR), Optional.of(ALICE), Optional.of(TGT));
        LoginMachine m = machine(policy);
        LoginMachine.Step s = m.handle(req(0, false, 0, "InitiatorName", INITIATOR, "TargetName", TARGET,
                "AuthMethod", "None,CHAP"));
        assertThat(keys(s)).containsEntry("AuthMethod", "CHAP");
        s = m.handle(req(0, false, 0, "CHAP_A", "7,5"));
        Map<String, String> challenge = keys(s);
        assertThat(challenge).containsEntry("CHAP_A", "5").containsKeys("CHAP_I", "CHAP_C");
        int id = Integer.parseInt(challenge.get("CHAP_I"));
        byte[] c = Chap.decodeBinary(challenge.get("CHAP_C"));
        assertThat(c).hasSize(16);
        byte[] a5 = new byte[16];
        Arrays.fill(a5, (byte) 0xa5);
        s = m.handle(req(0, true, 1, "CHAP_N", "alice", "CHAP_R", Chap.encodeHex(Chap.response(id, ALICE.secret(), c)),
                "CHAP_I", "200", "CHAP_C", Chap.encodeHex(a5)));
        assertThat(s.outcome()).isEqualTo(LoginMachine.Outcome.CONTINUE);
        assertThat(s.response().transit()).isTrue();
        assertThat(keys(s)).containsEntry("CHAP_N", "tgt").containsEntry("CHAP_R", "0x3a74e6af873af95c1ad65be923111551");
        s = m.handle(req(1, true, 3));
        assertThat(s.outcome()).isEqualTo(LoginMachine.Outcome.SUCCEEDED);
    }

    @Test
    void chapFailures() throws Exception {
        AccessPolicy oneWay = new AccessPolicy(Set.of(), Optional.of(ALICE), Optional.empty());
        LoginMachine m = machine(oneWay);
        m.handle(req(0, false, 0, "InitiatorName", INITIATOR, "TargetName", TARGET, "AuthMethod", "CHAP"));
        Map<String, String> ch = keys(m.handle(req(0, false, 0, "CHAP_A", "5")));
        byte[] c = Chap.decodeBinary(ch.get("CHAP_C"));
        LoginMachine.Step bad = m.handle(req(0, true, 1, "CHAP_N", "alice",
                "CHAP_R", Chap.encodeHex(Chap.response(Integer.parseInt(ch.get("CHAP_I")), "wrong", c))));
        assertThat(bad.outcome()).isEqualTo(LoginMachine.Outcome.FAILED);
        assertThat(bad.response().statusClass()).isEqualTo(2);
        assertThat(bad.response().statusDetail()).isEqualTo(1);

        // Mutual asked for, but the target has no secret of its own.
        m = machine(oneWay);
        m.handle(req(0, false, 0, "InitiatorName", INITIATOR, "TargetName", TARGET, "AuthMethod", "CHAP"));
        ch = keys(m.handle(req(0, false, 0, "CHAP_A", "5")));
        c = Chap.decodeBinary(ch.get("CHAP_C"));
        int id = Integer.parseInt(ch.get("CHAP_I"));
        assertThat(m.handle(req(0, true, 1, "CHAP_N", "alice", "CHAP_R", Chap.encodeHex(Chap.response(id, "keel-secret-1", c)),
                "CHAP_I", "1", "CHAP_C", "0x0102")).outcome()).isEqualTo(LoginMachine.Outcome.FAILED);

        // Reflection: the initiator sends our own challenge back.
        AccessPolicy mutual = new AccessPolicy(Set.of(), Optional.of(ALICE), Optional.of(TGT));
        m = machine(mutual);
        m.handle(req(0, false, 0, "InitiatorName", INITIATOR, "TargetName", TARGET, "AuthMethod", "CHAP"));
        ch = keys(m.handle(req(0, false, 0, "CHAP_A", "5")));
        c = Chap.decodeBinary(ch.get("CHAP_C"));
        id = Integer.parseInt(ch.get("CHAP_I"));
        LoginMachine.Step reflected = m.handle(req(0, true, 1, "CHAP_N", "alice",
                "CHAP_R", Chap.encodeHex(Chap.response(id, "keel-secret-1", c)), "CHAP_I", "3", "CHAP_C", Chap.encodeHex(c)));
        assertThat(reflected.outcome()).isEqualTo(LoginMachine.Outcome.FAILED);
        assertThat(reflected.reason()).contains("reflected");

        // Only MD5 is offered by us.
        m = machine(oneWay);
        m.handle(req(0, false, 0, "InitiatorName", INITIATOR, "TargetName", TARGET, "AuthMethod", "CHAP"));
        assertThat(m.handle(req(0, false, 0, "CHAP_A", "6,7")).outcome()).isEqualTo(LoginMachine.Outcome.FAILED);

        // Skipping security when CHAP is required.
        m = machine(oneWay);
        assertThat(m.handle(req(1, true, 3, "InitiatorName", INITIATOR, "TargetName", TARGET)).outcome())
                .isEqualTo(LoginMachine.Outcome.FAILED);

        // AuthMethod=None only, CHAP required.
        m = machine(oneWay);
        LoginMachine.Step none = m.handle(req(0, true, 1, "InitiatorName", INITIATOR, "TargetName", TARGET,
                "AuthMethod", "None"));
        assertThat(none.response().statusDetail()).isEqualTo(1);
    }

    @Test
    void refusals() {
        assertThat(machine(AccessPolicy.open()).handle(req(0, true, 1, "TargetName", TARGET)).response().statusDetail())
                .isEqualTo(LoginStatus.MISSING_PARAMETER.detail);
        assertThat(machine(AccessPolicy.open()).handle(req(0, true, 1, "InitiatorName", INITIATOR, "TargetName",
                "iqn.2026-12.io.keel:nope", "AuthMethod", "None")).response().statusDetail())
                .isEqualTo(LoginStatus.NOT_FOUND.detail);
        AccessPolicy acl = new AccessPolicy(Set.of("iqn.2026-12.io.keel:other"), Optional.empty(), Optional.empty());
        assertThat(machine(acl).handle(req(0, true, 1, "InitiatorName", INITIATOR, "TargetName", TARGET,
                "AuthMethod", "None")).response().statusDetail()).isEqualTo(LoginStatus.AUTHORIZATION_FAILURE.detail);
        assertThat(machine(AccessPolicy.open()).handle(req(0, true, 1, "InitiatorName", INITIATOR,
                "SessionType", "Weird")).response().statusDetail())
                .isEqualTo(LoginStatus.SESSION_TYPE_NOT_SUPPORTED.detail);
        Pdu.LoginRequest dup = new Pdu.LoginRequest(true, false, 0, 1, 0, 0, 1, 0, 1, 0, 1, 0,
                Segment.of("A=1\0A=2\0".getBytes()));
        assertThat(machine(AccessPolicy.open()).handle(dup).outcome()).isEqualTo(LoginMachine.Outcome.FAILED);
        Pdu.LoginRequest join = new Pdu.LoginRequest(true, false, 0, 1, 0, 0, 1, 7, 1, 0, 1, 0, Segment.EMPTY);
        assertThat(machine(AccessPolicy.open()).handle(join).response().statusDetail())
                .isEqualTo(LoginStatus.SESSION_DOES_NOT_EXIST.detail);
    }

    @Test
    void discoverySessionNeedsNoTargetName() throws Exception {
        LoginMachine.Step s = machine(AccessPolicy.open()).handle(req(0, true, 3, "InitiatorName", INITIATOR,
                "SessionType", "Discovery", "AuthMethod", "None"));
        assertThat(s.outcome()).isEqualTo(LoginMachine.Outcome.SUCCEEDED);
        assertThat(s.result().orElseThrow().discovery()).isTrue();
        assertThat(keys(s)).doesNotContainKey("TargetPortalGroupTag");
    }

    @Test
    void secretsNeverPrint() {
        assertThat(ALICE.toString()).doesNotContain("keel-secret-1").contains("alice");
        assertThat(new AccessPolicy(Set.of(), Optional.of(ALICE), Optional.of(TGT)).toString())
                .doesNotContain("keel-secret-1").doesNotContain("target-secret-2");
    }
}
