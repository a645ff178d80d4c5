package io.keel.s3.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.s3.backend.CompletedPart;
import io.keel.s3.backend.VersioningState;
import io.keel.s3.error.S3ErrorCode;
import io.keel.s3.error.S3Exception;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RequestBodiesTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static S3ErrorCode code(ThrowingCall c) {
        try {
            c.run();
            return null;
        } catch (S3Exception e) {
            return e.code();
        }
    }

    interface ThrowingCall {
        void run() throws S3Exception;
    }

    @Test
    void parsesWithAndWithoutNamespace() throws S3Exception {
        var d = RequestBodies.delete(b("<Delete xmlns=\"" + XmlWriter.NAMESPACE + "\"><Quiet>true</Quiet>"
                + "<Object><Key>a&amp;b</Key><VersionId>v</VersionId></Object><Object><Key>c</Key></Object></Delete>"));
        assertThat(d.quiet()).isTrue();
        assertThat(d.objects()).containsExactly(new RequestBodies.ObjectId("a&b", Optional.of("v")),
                new RequestBodies.ObjectId("c", Optional.empty()));
        assertThat(RequestBodies.complete(b("<CompleteMultipartUpload><Part><ETag>\"e1\"</ETag><PartNumber>1</PartNumber>"
                + "</Part><Part><PartNumber>5</PartNumber><ETag>e5</ETag></Part></CompleteMultipartUpload>")))
                .containsExactly(new CompletedPart(1, "e1"), new CompletedPart(5, "e5"));
        assertThat(RequestBodies.tagging(b("<Tagging><TagSet><Tag><Key>k</Key><Value></Value></Tag></TagSet></Tagging>")))
                .containsEntry("k", "");
        assertThat(RequestBodies.versioning(b("<VersioningConfiguration><Status>Suspended</Status></VersioningConfiguration>")))
                .isEqualTo(VersioningState.SUSPENDED);
        assertThat(RequestBodies.locationConstraint(b("<CreateBucketConfiguration><LocationConstraint>r"
                + "</LocationConstraint></CreateBucketConfiguration>"))).contains("r");
    }

    @Test
    void refusals() {
        assertThat(code(() -> RequestBodies.delete(b("<Delete></Delete>")))).isEqualTo(S3ErrorCode.MALFORMED_XML);
        assertThat(code(() -> RequestBodies.delete(b("<Other><Object><Key>a</Key></Object></Other>"))))
                .isEqualTo(S3ErrorCode.MALFORMED_XML);
        assertThat(code(() -> RequestBodies.delete(b("<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x \"y\">]>"
                + "<Delete><Object><Key>&x;</Key></Object></Delete>")))).isEqualTo(S3ErrorCode.MALFORMED_XML);
        String bomb = "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;\">]>"
                + "<Tagging><TagSet><Tag><Key>&b;</Key><Value>v</Value></Tag></TagSet></Tagging>";
        assertThat(code(() -> RequestBodies.tagging(b(bomb)))).isEqualTo(S3ErrorCode.MALFORMED_XML);
        assertThat(code(() -> RequestBodies.complete(b("<CompleteMultipartUpload><Part><PartNumber>2</PartNumber>"
                + "<ETag>a</ETag></Part><Part><PartNumber>2</PartNumber><ETag>a</ETag></Part></CompleteMultipartUpload>"))))
                .isEqualTo(S3ErrorCode.INVALID_PART_ORDER);
        assertThat(code(() -> RequestBodies.complete(b("<CompleteMultipartUpload><Part><PartNumber>x</PartNumber>"
                + "<ETag>a</ETag></Part></CompleteMultipartUpload>")))).isEqualTo(S3ErrorCode.MALFORMED_XML);
        assertThat(code(() -> RequestBodies.tagging(b("<Tagging><TagSet>"
                + "<Tag><Key>k</Key><Value>1</Value></Tag><Tag><Key>k</Key><Value>2</Value></Tag></TagSet></Tagging>"))))
                .isEqualTo(S3ErrorCode.INVALID_TAG);
        assertThat(code(() -> RequestBodies.tagging(b("<Tagging><TagSet>" + "<Tag><Key>k</Key><Value>1</Value></Tag>"
                .repeat(1) + "<Tag><Key>" + "x".repeat(129) + "</Key><Value>1</Value></Tag></TagSet></Tagging>"))))
                .isEqualTo(S3ErrorCode.INVALID_TAG);
        assertThat(code(() -> RequestBodies.versioning(b("<VersioningConfiguration><Status>Enabled</Status>"
                + "<MfaDelete>Enabled</MfaDelete></VersioningConfiguration>")))).isEqualTo(S3ErrorCode.NOT_IMPLEMENTED);
        assertThat(code(() -> RequestBodies.delete(new byte[0]))).isEqualTo(S3ErrorCode.MALFORMED_XML);
    }

    @Test
    void sizeLimitIsEnforcedBeforeParsing() {
        byte[] big = new byte[RequestBodies.MAX_SMALL_BYTES + 1];
        assertThat(code(() -> {
            try {
                SafeXml.read(new ByteArrayInputStream(big), RequestBodies.MAX_SMALL_BYTES);
            } catch (S3Exception e) {
                throw e;
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        })).isEqualTo(S3ErrorCode.MALFORMED_XML);
        assertThat(List.of(RequestBodies.MAX_DELETE_KEYS)).containsExactly(1000);
    }
}
