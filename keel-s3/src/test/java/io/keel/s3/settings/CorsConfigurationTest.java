package io.keel.s3.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CorsConfigurationTest {
    static final String DOC = """
            <CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
              <CORSRule><ID>app</ID><AllowedOrigin>https://*.example.com</AllowedOrigin>
                <AllowedMethod>GET</AllowedMethod><AllowedMethod>PUT</AllowedMethod>
                <AllowedHeader>Content-*</AllowedHeader><AllowedHeader>x-amz-date</AllowedHeader>
                <MaxAgeSeconds>600</MaxAgeSeconds><ExposeHeader>ETag</ExposeHeader></CORSRule>
              <CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>HEAD</AllowedMethod></CORSRule>
            </CORSConfiguration>""";

    static CorsConfiguration parse(String xml) throws io.keel.s3.error.S3Exception {
        return CorsConfiguration.parse(xml.getBytes(StandardCharsets.UTF_8));
    }

    static String fail(String rules) {
        return Fail.of(() -> parse("<CORSConfiguration>" + rules + "</CORSConfiguration>"));
    }

    @Test
    void rulesMatchOriginMethodAndEveryRequestedHeader() throws Exception {
        CorsConfiguration c = parse(DOC);
        assertThat(c.match("https://app.example.com", "PUT", List.of("content-type", "X-Amz-Date"))).isPresent()
                .get().extracting(r -> r.id().orElseThrow()).isEqualTo("app");
        assertThat(c.match("https://app.example.com", "PUT", List.of("authorization"))).isEmpty();
        assertThat(c.match("https://app.example.com", "DELETE", List.of())).isEmpty();
        assertThat(c.match("http://app.example.com", "GET", List.of())).isEmpty();
        assertThat(c.match("https://example.com", "GET", List.of())).isEmpty();
        CorsConfiguration.Rule any = c.match("https://elsewhere.org", "HEAD", List.of()).orElseThrow();
        assertThat(any.anyOrigin()).isTrue();
        assertThat(c.match("https://elsewhere.org", "HEAD", List.of("x-custom"))).isEmpty();
    }

    @Test
    void renderIsCanonicalAndStable() throws Exception {
        CorsConfiguration c = parse(DOC);
        String doc = c.render();
        assertThat(doc).startsWith("<?xml").contains("<CORSRule><ID>app</ID><AllowedOrigin>https://*.example.com"
                + "</AllowedOrigin><AllowedMethod>GET</AllowedMethod><AllowedMethod>PUT</AllowedMethod>");
        assertThat(parse(doc)).isEqualTo(c);
        assertThat(parse(doc).render()).isEqualTo(doc);
    }

    @Test
    void badDocumentsAreRefusedWithTheReason() {
        assertThat(fail("")).startsWith("MalformedXML: A CORS configuration needs at least one CORSRule");
        assertThat(fail("<CORSRule><AllowedMethod>GET</AllowedMethod></CORSRule>")).contains("needs AllowedOrigin");
        assertThat(fail("<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>PATCH</AllowedMethod></CORSRule>"))
                .isEqualTo("InvalidRequest: Found unsupported HTTP method in CORS config. Unsupported method is PATCH");
        assertThat(fail("<CORSRule><AllowedOrigin>*.*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule>"))
                .contains("can not have more than one wildcard");
        assertThat(fail("<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod>"
                + "<ExposeHeader>x-*</ExposeHeader></CORSRule>")).contains("wildcard for ExposeHeader");
        assertThat(fail("<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod>"
                + "<MaxAgeSeconds>-1</MaxAgeSeconds></CORSRule>")).startsWith("MalformedXML");
        assertThat(fail("<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod>"
                + "<AllowCredentials>true</AllowCredentials></CORSRule>")).contains("Unexpected element <AllowCredentials>");
        String rule = "<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule>";
        assertThat(fail(rule.repeat(CorsConfiguration.MAX_RULES + 1))).contains("at most 100 rules");
        assertThat(fail(rule)).isEqualTo("none");
        assertThat(Fail.of(() -> parse("<!DOCTYPE x [<!ENTITY e 'x'>]><CORSConfiguration/>"))).startsWith("MalformedXML");
    }
}
