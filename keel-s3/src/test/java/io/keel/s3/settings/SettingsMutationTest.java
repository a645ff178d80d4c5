package io.keel.s3.settings;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.s3.error.S3Exception;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutations of valid settings documents: every parser either refuses with an S3 error or
 * accepts, and what it accepts renders to a canonical form that parses to the same value again.
 * Never another exception: a stored document must always be readable by the gateway that stored it.
 */
class SettingsMutationTest {
    private static final int MUTATIONS = 1500;

    interface Parser<T> {
        T parse(byte[] doc) throws S3Exception;
    }

    interface Renderer<T> {
        String render(T value);
    }

    private static <T> void mutate(String seed, Parser<T> parser, Renderer<T> renderer, long rngSeed) throws Exception {
        Random rnd = new Random(rngSeed);
        byte[] base = seed.getBytes(StandardCharsets.UTF_8);
        int accepted = 0;
        for (int i = 0; i < MUTATIONS; i++) {
            byte[] doc = base.clone();
            for (int m = 1 + rnd.nextInt(3); m > 0; m--) {
                doc = switch (rnd.nextInt(3)) {
                    case 0 -> {
                        String alphabet = " <>/\"{}[],:*0aZ-";
                        doc[rnd.nextInt(doc.length)] = (byte) alphabet.charAt(rnd.nextInt(alphabet.length()));
                        yield doc;
                    }
                    case 1 -> {
                        int at = rnd.nextInt(doc.length);
                        byte[] out = Arrays.copyOf(doc, doc.length - 1);
                        System.arraycopy(doc, at + 1, out, at, doc.length - at - 1);
                        yield out;
                    }
                    default -> {
                        int from = rnd.nextInt(doc.length);
                        int len = Math.min(doc.length - from, 1 + rnd.nextInt(40));
                        int to = rnd.nextInt(doc.length);
                        byte[] out = new byte[doc.length + len];
                        System.arraycopy(doc, 0, out, 0, to);
                        System.arraycopy(doc, from, out, to, len);
                        System.arraycopy(doc, to, out, to + len, doc.length - to);
                        yield out;
                    }
                };
            }
            T value;
            try {
                value = parser.parse(doc);
            } catch (S3Exception e) {
                continue;
            }
            accepted++;
            String canonical = renderer.render(value);
            T again = parser.parse(canonical.getBytes(StandardCharsets.UTF_8));
            assertThat(again).as("re-parse of %s", new String(doc, StandardCharsets.UTF_8)).isEqualTo(value);
            assertThat(renderer.render(again)).isEqualTo(canonical);
        }
        assertThat(accepted).as("some mutations stay valid").isPositive();
    }

    @Test
    void corsDocuments() throws Exception {
        mutate(CorsConfigurationTest.DOC, CorsConfiguration::parse, CorsConfiguration::render, 1);
    }

    @Test
    void lifecycleDocuments() throws Exception {
        mutate("<LifecycleConfiguration><Rule><ID>a</ID><Filter><Prefix>logs/</Prefix></Filter><Status>Enabled</Status>"
                + "<Expiration><Days>30</Days></Expiration><NoncurrentVersionExpiration><NoncurrentDays>7"
                + "</NoncurrentDays></NoncurrentVersionExpiration></Rule><Rule><Prefix>x</Prefix><Status>Disabled"
                + "</Status><AbortIncompleteMultipartUpload><DaysAfterInitiation>2</DaysAfterInitiation>"
                + "</AbortIncompleteMultipartUpload></Rule></LifecycleConfiguration>",
                LifecycleConfiguration::parse, LifecycleConfiguration::render, 2);
    }

    @Test
    void bucketTagDocuments() throws Exception {
        mutate("<Tagging><TagSet><Tag><Key>team</Key><Value>web</Value></Tag><Tag><Key>c</Key><Value>1</Value></Tag>"
                + "</TagSet></Tagging>", BucketTagging::parse, BucketTagging::render, 3);
    }

    @Test
    void policyDocuments() throws Exception {
        mutate("""
                {"Version":"2012-10-17","Statement":[{"Sid":"a","Effect":"Allow","Principal":{"AWS":["bob","*"]},
                 "Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::site","arn:aws:s3:::site/p*"]},
                 {"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::site/x"}]}""",
                doc -> BucketPolicy.parse(doc, "site"), p -> p.render("site"), 4);
    }
}
