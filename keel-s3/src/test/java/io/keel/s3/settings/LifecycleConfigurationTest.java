package io.keel.s3.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class LifecycleConfigurationTest {
    static LifecycleConfiguration parse(String xml) throws io.keel.s3.error.S3Exception {
        return LifecycleConfiguration.parse(xml.getBytes(StandardCharsets.UTF_8));
    }

    static String fail(String rules) {
        return Fail.of(() -> parse("<LifecycleConfiguration>" + rules + "</LifecycleConfiguration>"));
    }

    @Test
    void theExpirationSubsetParsesAndRendersCanonically() throws Exception {
        LifecycleConfiguration c = parse("""
                <LifecycleConfiguration>
                  <Rule><ID>logs</ID><Filter><Prefix>logs/</Prefix></Filter><Status>Enabled</Status>
                    <Expiration><Days>30</Days></Expiration>
                    <NoncurrentVersionExpiration><NoncurrentDays>7</NoncurrentDays></NoncurrentVersionExpiration>
                  </Rule>
                  <Rule><Filter/><Status>Disabled</Status>
                    <AbortIncompleteMultipartUpload><DaysAfterInitiation>2</DaysAfterInitiation></AbortIncompleteMultipartUpload>
                  </Rule>
                  <Rule><ID>old-style</ID><Prefix>tmp/</Prefix><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>
                </LifecycleConfiguration>""");
        assertThat(c.rules()).containsExactly(
                new LifecycleConfiguration.Rule("logs", true, "logs/", OptionalInt.of(30), OptionalInt.of(7),
                        OptionalInt.empty()),
                new LifecycleConfiguration.Rule("rule-2", false, "", OptionalInt.empty(), OptionalInt.empty(),
                        OptionalInt.of(2)),
                new LifecycleConfiguration.Rule("old-style", true, "tmp/", OptionalInt.of(1), OptionalInt.empty(),
                        OptionalInt.empty()));
        String doc = c.render();
        assertThat(parse(doc)).isEqualTo(c);
        assertThat(parse(doc).render()).isEqualTo(doc);
    }

    @Test
    void anExpirationDateParsesInBothIsoFormsAndRendersAsAnInstant() throws Exception {
        LifecycleConfiguration c = parse("<LifecycleConfiguration><Rule><ID>d</ID><Status>Enabled</Status>"
                + "<Expiration><Date>2030-01-01T00:00:00.000Z</Date></Expiration></Rule></LifecycleConfiguration>");
        assertThat(c.rules()).containsExactly(new LifecycleConfiguration.Rule("d", true, "", OptionalInt.empty(),
                OptionalInt.empty(), OptionalInt.empty(), java.util.Optional.of(Instant.parse("2030-01-01T00:00:00Z"))));
        assertThat(c.render()).contains("<Date>2030-01-01T00:00:00Z</Date>");
        assertThat(parse(c.render())).isEqualTo(c);
        assertThat(parse("<LifecycleConfiguration><Rule><ID>d</ID><Status>Enabled</Status>"
                + "<Expiration><Date>2030-01-01</Date></Expiration></Rule></LifecycleConfiguration>")).isEqualTo(c);
    }

    @Test
    void dueRoundsUpToTheNextMidnightUtc() {
        assertThat(LifecycleConfiguration.due(Instant.parse("2026-01-01T10:15:00Z"), 1))
                .isEqualTo(Instant.parse("2026-01-03T00:00:00Z"));
        assertThat(LifecycleConfiguration.due(Instant.parse("2026-01-01T00:00:00Z"), 1))
                .isEqualTo(Instant.parse("2026-01-02T00:00:00Z"));
    }

    @Test
    void badOrUnsupportedRulesAreRefusedWithTheReason() {
        String exp = "<Expiration><Days>1</Days></Expiration>";
        assertThat(fail("")).startsWith("MalformedXML");
        assertThat(fail("<Rule><Status>On</Status>" + exp + "</Rule>")).contains("Enabled or Disabled");
        assertThat(fail("<Rule><Status>Enabled</Status></Rule>")).contains("At least one action");
        assertThat(fail("<Rule><Status>Enabled</Status><Expiration><Days>0</Days></Expiration></Rule>"))
                .startsWith("InvalidArgument").contains("positive integer");
        assertThat(fail("<Rule><Status>Enabled</Status><Expiration><Date>2030-01-01T10:00:00Z</Date></Expiration></Rule>"))
                .startsWith("InvalidArgument").contains("midnight");
        assertThat(fail("<Rule><Status>Enabled</Status><Expiration><Date>next week</Date></Expiration></Rule>"))
                .startsWith("InvalidArgument").contains("ISO 8601");
        assertThat(fail("<Rule><Status>Enabled</Status><Expiration><Days>1</Days><Date>2030-01-01T00:00:00Z</Date>"
                + "</Expiration></Rule>")).startsWith("MalformedXML").contains("either Days or a Date");
        assertThat(fail("<Rule><Status>Enabled</Status><Expiration><ExpiredObjectDeleteMarker>true"
                + "</ExpiredObjectDeleteMarker></Expiration></Rule>")).startsWith("NotImplemented");
        assertThat(fail("<Rule><Status>Enabled</Status><Filter><Tag><Key>a</Key><Value>b</Value></Tag></Filter>" + exp
                + "</Rule>")).startsWith("NotImplemented").contains("Tag");
        assertThat(fail("<Rule><Status>Enabled</Status>" + exp
                + "<Transition><Days>1</Days><StorageClass>GLACIER</StorageClass></Transition></Rule>"))
                .startsWith("NotImplemented");
        assertThat(fail("<Rule><Status>Enabled</Status><Prefix>a</Prefix><Filter/>" + exp + "</Rule>"))
                .contains("not both");
        assertThat(fail("<Rule><ID>x</ID><Status>Enabled</Status>" + exp + "</Rule><Rule><ID>x</ID><Status>Enabled"
                + "</Status>" + exp + "</Rule>")).contains("Rule ID must be unique");
        assertThat(fail("<Rule><Status>Enabled</Status>" + exp + "<Bogus/></Rule>")).contains("Unexpected element <Bogus>");
        assertThat(fail("<Rule><ID>" + "i".repeat(256) + "</ID><Status>Enabled</Status>" + exp + "</Rule>"))
                .contains("255");
        assertThat(fail("<Rule><Status>Enabled</Status>" + exp + "</Rule>")).isEqualTo("none");
    }

    @Test
    void bucketTagsAreCheckedAndSorted() throws Exception {
        BucketTagging t = BucketTagging.parse(("<Tagging><TagSet><Tag><Key>b</Key><Value>2</Value></Tag>"
                + "<Tag><Key>a</Key><Value></Value></Tag></TagSet></Tagging>").getBytes(StandardCharsets.UTF_8));
        assertThat(t.render()).endsWith("<TagSet><Tag><Key>a</Key><Value></Value></Tag><Tag><Key>b</Key><Value>2</Value>"
                + "</Tag></TagSet></Tagging>");
        assertThat(Fail.of(() -> BucketTagging.parse(("<Tagging><TagSet><Tag><Key>aws:x</Key><Value>1</Value></Tag>"
                + "</TagSet></Tagging>").getBytes(StandardCharsets.UTF_8)))).startsWith("InvalidTag");
        assertThat(Fail.of(() -> BucketTagging.parse(("<Tagging><TagSet><Tag><Key>a</Key><Value>1</Value></Tag>"
                + "<Tag><Key>a</Key><Value>2</Value></Tag></TagSet></Tagging>").getBytes(StandardCharsets.UTF_8))))
                .contains("same key");
        StringBuilder many = new StringBuilder("<Tagging><TagSet>");
        for (int i = 0; i <= BucketTagging.MAX_TAGS; i++) {
            many.append("<Tag><Key>k").append(i).append("</Key><Value>v</Value></Tag>");
        }
        assertThat(Fail.of(() -> BucketTagging.parse((many + "</TagSet></Tagging>").getBytes(StandardCharsets.UTF_8))))
                .contains("greater than 50");
        assertThat(Fail.of(() -> BucketTagging.parse("<Tagging/>".getBytes(StandardCharsets.UTF_8))))
                .startsWith("MalformedXML");
    }
}
