package io.keel.s3.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class ErrorXmlTest {
    @Test
    void rendersTheStandardErrorDocument() {
        String xml = ErrorXml.render(S3ErrorCode.NO_SUCH_KEY, null, "/bucket/a.txt", "4442587FB7D0A2F9", "h0st");
        assertThat(xml).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchKey</Code>"
                + "<Message>The specified key does not exist.</Message><Resource>/bucket/a.txt</Resource>"
                + "<RequestId>4442587FB7D0A2F9</RequestId><HostId>h0st</HostId></Error>");
    }

    @Test
    void escapesAnythingAKeyMayContainAndStillParses() throws Exception {
        Random rnd = new Random(42);
        for (int i = 0; i < 300; i++) {
            StringBuilder key = new StringBuilder("/b/");
            for (int j = 0; j < 30; j++) {
                key.append((char) rnd.nextInt(i % 2 == 0 ? 0x80 : 0x10000));
            }
            String xml = ErrorXml.render(S3ErrorCode.ACCESS_DENIED, "<&>\"'", key.toString(), "ID", "HOST");
            Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
            assertThat(d.getElementsByTagName("Message").item(0).getTextContent()).isEqualTo("<&>\"'");
            assertThat(d.getElementsByTagName("Code").item(0).getTextContent()).isEqualTo("AccessDenied");
            String resource = d.getElementsByTagName("Resource").item(0).getTextContent();
            assertThat(resource).hasSameSizeAs(key.toString().replaceAll("[\\uD800-\\uDBFF][\\uDC00-\\uDFFF]", "xx"));
        }
    }

    @Test
    void escapingKeepsCarriageReturnsAndReplacesWhatXmlCannotCarry() {
        assertThat(ErrorXml.escape("a\rb\u0001c\uD800d\uFFFE\t\n🙂")).isEqualTo("a&#13;b\uFFFDc\uFFFDd\uFFFD\t\n🙂");
    }

    @Test
    void statusesAreThoseAwsUses() {
        assertThat(S3ErrorCode.ACCESS_DENIED.httpStatus()).isEqualTo(403);
        assertThat(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH.httpStatus()).isEqualTo(403);
        assertThat(S3ErrorCode.REQUEST_TIME_TOO_SKEWED.httpStatus()).isEqualTo(403);
        assertThat(S3ErrorCode.INVALID_ACCESS_KEY_ID.httpStatus()).isEqualTo(403);
        assertThat(S3ErrorCode.NO_SUCH_BUCKET.httpStatus()).isEqualTo(404);
        assertThat(S3ErrorCode.NO_SUCH_UPLOAD.httpStatus()).isEqualTo(404);
        assertThat(S3ErrorCode.BUCKET_NOT_EMPTY.httpStatus()).isEqualTo(409);
        assertThat(S3ErrorCode.INVALID_RANGE.httpStatus()).isEqualTo(416);
        assertThat(S3ErrorCode.PRECONDITION_FAILED.httpStatus()).isEqualTo(412);
        assertThat(S3ErrorCode.NOT_MODIFIED.httpStatus()).isEqualTo(304);
        assertThat(S3ErrorCode.METHOD_NOT_ALLOWED.httpStatus()).isEqualTo(405);
        assertThat(S3ErrorCode.NOT_IMPLEMENTED.httpStatus()).isEqualTo(501);
        assertThat(S3ErrorCode.SLOW_DOWN.httpStatus()).isEqualTo(503);
        assertThat(S3ErrorCode.MISSING_CONTENT_LENGTH.httpStatus()).isEqualTo(411);
        Set<String> codes = new HashSet<>();
        for (S3ErrorCode c : S3ErrorCode.values()) {
            assertThat(codes.add(c.code())).as(c.code()).isTrue();
            assertThat(c.code()).matches("[A-Z][A-Za-z0-9]+");
        }
    }

    @Test
    void requestIdsHaveTheAwsShapeAndAreDeterministicPerSeed() {
        RequestIds a = new RequestIds(new Random(1), "node1");
        RequestIds b = new RequestIds(new Random(1), "node1");
        RequestIds.Ids first = a.next();
        assertThat(first).isEqualTo(b.next());
        assertThat(first.requestId()).matches("[0-9A-F]{16}");
        assertThat(first.hostId()).matches("[A-Za-z0-9+/]{32}/node1");
        assertThat(a.next()).isNotEqualTo(first);
    }
}
