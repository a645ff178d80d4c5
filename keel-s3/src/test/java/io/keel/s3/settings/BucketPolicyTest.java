package io.keel.s3.settings;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.s3.settings.BucketPolicy.Decision;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BucketPolicyTest {
    static final String PUBLIC_READ = """
            {"Version":"2012-10-17","Statement":[{"Sid":"PublicRead","Effect":"Allow","Principal":"*",
             "Action":["s3:GetObject"],"Resource":"arn:aws:s3:::site/*"}]}""";

    static BucketPolicy parse(String json) throws io.keel.s3.error.S3Exception {
        return BucketPolicy.parse(json.getBytes(StandardCharsets.UTF_8), "site");
    }

    static String fail(String json) {
        return Fail.of(() -> parse(json));
    }

    static String stmt(String body) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":" + body + "}";
    }

    @Test
    void publicReadAllowsAnyoneToGetObjectsAndNothingElse() throws Exception {
        BucketPolicy p = parse(PUBLIC_READ);
        assertThat(p.decide(Optional.empty(), PolicyAction.GET_OBJECT, Optional.of("a/b.html"))).isEqualTo(Decision.ALLOW);
        assertThat(p.decide(Optional.of("bob"), PolicyAction.GET_OBJECT, Optional.of("x"))).isEqualTo(Decision.ALLOW);
        assertThat(p.decide(Optional.empty(), PolicyAction.PUT_OBJECT, Optional.of("x"))).isEqualTo(Decision.NONE);
        assertThat(p.decide(Optional.empty(), PolicyAction.GET_OBJECT_VERSION, Optional.of("x")))
                .isEqualTo(Decision.NONE);
        assertThat(p.decide(Optional.empty(), PolicyAction.LIST_BUCKET, Optional.empty())).isEqualTo(Decision.NONE);
    }

    @Test
    void explicitDenyWinsAndGrantsNameUsersAndPrefixes() throws Exception {
        BucketPolicy p = parse(stmt("""
                [{"Effect":"Allow","Principal":{"AWS":["bob","carol"]},"Action":"s3:*",
                  "Resource":["arn:aws:s3:::site","arn:aws:s3:::site/shared/*"]},
                 {"Effect":"Deny","Principal":{"AWS":"carol"},"Action":"s3:DeleteObject",
                  "Resource":"arn:aws:s3:::site/shared/keep*"}]"""));
        assertThat(p.decide(Optional.of("bob"), PolicyAction.PUT_OBJECT, Optional.of("shared/x"))).isEqualTo(Decision.ALLOW);
        assertThat(p.decide(Optional.of("bob"), PolicyAction.PUT_OBJECT, Optional.of("private/x")))
                .isEqualTo(Decision.NONE);
        assertThat(p.decide(Optional.of("bob"), PolicyAction.LIST_BUCKET, Optional.empty())).isEqualTo(Decision.ALLOW);
        assertThat(p.decide(Optional.of("carol"), PolicyAction.DELETE_OBJECT, Optional.of("shared/keep-me")))
                .isEqualTo(Decision.DENY);
        assertThat(p.decide(Optional.of("carol"), PolicyAction.DELETE_OBJECT, Optional.of("shared/other")))
                .isEqualTo(Decision.ALLOW);
        assertThat(p.decide(Optional.empty(), PolicyAction.GET_OBJECT, Optional.of("shared/x"))).isEqualTo(Decision.NONE);
        assertThat(p.decide(Optional.of("dave"), PolicyAction.GET_OBJECT, Optional.of("shared/x"))).isEqualTo(Decision.NONE);
    }

    @Test
    void exactKeyResourcesMatchOnlyThatKey() throws Exception {
        BucketPolicy p = parse(stmt("""
                {"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::site/index.html"}"""));
        assertThat(p.decide(Optional.empty(), PolicyAction.GET_OBJECT, Optional.of("index.html"))).isEqualTo(Decision.ALLOW);
        assertThat(p.decide(Optional.empty(), PolicyAction.GET_OBJECT, Optional.of("index.html2"))).isEqualTo(Decision.NONE);
    }

    @Test
    void renderIsCanonicalAndParsesToTheSamePolicy() throws Exception {
        BucketPolicy p = parse(stmt("""
                {"Sid":"s","Effect":"Allow","Principal":{"AWS":["zed","amy"]},"Action":["s3:PutObject","s3:GetObject"],
                 "Resource":"arn:aws:s3:::site/up/*"}"""));
        String doc = p.render("site");
        assertThat(doc).isEqualTo("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"s\",\"Effect\":\"Allow\","
                + "\"Principal\":{\"AWS\":[\"amy\",\"zed\"]},\"Action\":[\"s3:GetObject\",\"s3:PutObject\"],"
                + "\"Resource\":[\"arn:aws:s3:::site/up/*\"]}]}");
        assertThat(parse(doc)).isEqualTo(p);
        assertThat(parse(doc).render("site")).isEqualTo(doc);
    }

    @Test
    void anythingOutsideTheSubsetIsMalformedWithTheReason() {
        String ok = "\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::site/*\"";
        assertThat(fail("not json")).startsWith("MalformedPolicy: Policies must be valid JSON");
        assertThat(fail("[]")).contains("first byte must be '{'");
        assertThat(fail(stmt("{" + ok + ",\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"true\"}}}")))
                .isEqualTo("MalformedPolicy: Condition is not supported: statements may use Sid, Effect, Principal,"
                        + " Action and Resource");
        assertThat(fail(stmt("{\"Effect\":\"Allow\",\"Principal\":\"*\",\"NotAction\":\"s3:GetObject\","
                + "\"Resource\":\"arn:aws:s3:::site/*\"}"))).contains("NotAction is not supported");
        assertThat(fail(stmt("{" + ok + ",\"Extra\":1}"))).contains("Unknown field Extra in Statement");
        assertThat(fail("{\"Version\":\"2012-10-17\",\"Statement\":[{" + ok + "}],\"Foo\":1}"))
                .contains("Unknown field Foo in policy");
        assertThat(fail(stmt("{" + ok.replace("s3:GetObject", "s3:PutBucketPolicy") + "}")))
                .contains("unsupported action: s3:PutBucketPolicy");
        assertThat(fail(stmt("{" + ok.replace("s3:GetObject", "s3:Get*") + "}"))).contains("unsupported action: s3:Get*");
        assertThat(fail(stmt("{" + ok.replace("Allow", "Maybe") + "}"))).contains("Effect must be Allow or Deny");
        assertThat(fail(stmt("{" + ok.replace("arn:aws:s3:::site/*", "arn:aws:s3:::other/*") + "}")))
                .contains("not in bucket site");
        assertThat(fail(stmt("{" + ok.replace("site/*", "site/a*b") + "}"))).contains("only a trailing *");
        assertThat(fail(stmt("{" + ok.replace("arn:aws:s3:::site/*", "arn:aws:s3:::site") + "}")))
                .contains("Action does not apply to any resource(s) in statement: s3:GetObject");
        assertThat(fail(stmt("{" + ok.replace("\"Principal\":\"*\"", "\"Principal\":{\"Service\":\"x\"}") + "}")))
                .contains("Invalid principal");
        assertThat(fail(stmt("{" + ok.replace("\"Principal\":\"*\"", "\"Principal\":\"bob\"") + "}")))
                .contains("Invalid principal");
        assertThat(fail("{\"Version\":\"2099-01-01\",\"Statement\":[{" + ok + "}]}")).contains("valid version");
        assertThat(fail(stmt("[]"))).contains("Missing required field Statement");
        assertThat(fail(stmt("[{\"Sid\":\"a\"," + ok + "},{\"Sid\":\"a\"," + ok + "}]"))).contains("must be unique");
        assertThat(fail("{\"Version\":\"2012-10-17\",\"Version\":\"2012-10-17\",\"Statement\":[{" + ok + "}]}"))
                .contains("valid JSON");
        assertThat(fail(stmt("{" + ok + "}") + " {}")).contains("valid JSON");
        assertThat(fail(stmt("{" + ok + ",\"Sid\":" + "\"x\"".repeat(1) + "}") + " ".repeat(BucketPolicy.MAX_BYTES)))
                .contains("at most");
        assertThat(fail(stmt("{" + ok + "}"))).isEqualTo("none");
    }
}
