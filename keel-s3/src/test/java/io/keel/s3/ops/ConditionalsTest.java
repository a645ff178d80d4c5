package io.keel.s3.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.s3.address.S3Address;
import io.keel.s3.auth.QueryParams;
import io.keel.s3.auth.SigV4Request;
import io.keel.s3.backend.ObjectInfo;
import io.keel.s3.backend.ObjectMetadata;
import io.keel.s3.error.S3ErrorCode;
import io.keel.s3.error.S3Exception;
import io.keel.s3.http.HttpDates;
import io.keel.s3.http.S3Request;
import java.io.InputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConditionalsTest {
    private static final Instant MODIFIED = Instant.parse("2026-01-02T03:04:05.678Z");
    private static final ObjectInfo INFO = new ObjectInfo("b", "k", Optional.empty(), 1, "abc", MODIFIED, "o",
            ObjectMetadata.empty(), Map.of(), Optional.empty(), 0);

    private static S3Request req(String... headerPairs) {
        Map<String, List<String>> h = new LinkedHashMap<>();
        for (int i = 0; i < headerPairs.length; i += 2) {
            h.put(headerPairs[i], List.of(headerPairs[i + 1]));
        }
        return new S3Request("GET", new S3Address(S3Address.Style.PATH, Optional.of("b"), Optional.of("k")),
                new QueryParams(List.of()), new SigV4Request("GET", "/b/k", "", h), Optional.of("o"),
                InputStream.nullInputStream());
    }

    private static String at(long deltaSeconds) {
        return HttpDates.format(MODIFIED.plusSeconds(deltaSeconds));
    }

    @Test
    void getRules() throws S3Exception {
        assertThat(Conditionals.evaluate(req(), INFO)).isEqualTo(Conditionals.Outcome.PROCEED);
        assertThat(Conditionals.evaluate(req("if-match", "\"abc\""), INFO)).isEqualTo(Conditionals.Outcome.PROCEED);
        assertThat(Conditionals.evaluate(req("if-match", "\"x\", W/\"abc\""), INFO)).isEqualTo(Conditionals.Outcome.PROCEED);
        assertThat(Conditionals.evaluate(req("if-match", "*"), INFO)).isEqualTo(Conditionals.Outcome.PROCEED);
        assertThat(Conditionals.evaluate(req("if-none-match", "\"abc\""), INFO)).isEqualTo(Conditionals.Outcome.NOT_MODIFIED);
        // Second precision: modified at :05.678 is "not modified since :05".
        assertThat(Conditionals.evaluate(req("if-modified-since", at(0)), INFO)).isEqualTo(Conditionals.Outcome.NOT_MODIFIED);
        assertThat(Conditionals.evaluate(req("if-modified-since", at(-1)), INFO)).isEqualTo(Conditionals.Outcome.PROCEED);
        // If-Match wins over If-Unmodified-Since; If-None-Match over If-Modified-Since.
        assertThat(Conditionals.evaluate(req("if-match", "\"abc\"", "if-unmodified-since", at(-10)), INFO))
                .isEqualTo(Conditionals.Outcome.PROCEED);
        assertThat(Conditionals.evaluate(req("if-none-match", "\"zzz\"", "if-modified-since", at(10)), INFO))
                .isEqualTo(Conditionals.Outcome.PROCEED);
        // Unparseable dates are ignored.
        assertThat(Conditionals.evaluate(req("if-modified-since", "yesterday"), INFO)).isEqualTo(Conditionals.Outcome.PROCEED);
        assertThatThrownBy(() -> Conditionals.evaluate(req("if-match", "\"zzz\""), INFO))
                .extracting(e -> ((S3Exception) e).code()).isEqualTo(S3ErrorCode.PRECONDITION_FAILED);
        assertThatThrownBy(() -> Conditionals.evaluate(req("if-unmodified-since", at(-1)), INFO))
                .extracting(e -> ((S3Exception) e).code()).isEqualTo(S3ErrorCode.PRECONDITION_FAILED);
    }

    @Test
    void copySourceFailuresAreAll412() {
        assertThatThrownBy(() -> Conditionals.evaluateCopySource(req("x-amz-copy-source-if-none-match", "\"abc\""), INFO))
                .extracting(e -> ((S3Exception) e).code()).isEqualTo(S3ErrorCode.PRECONDITION_FAILED);
        assertThatThrownBy(() -> Conditionals.evaluateCopySource(req("x-amz-copy-source-if-modified-since", at(5)), INFO))
                .extracting(e -> ((S3Exception) e).code()).isEqualTo(S3ErrorCode.PRECONDITION_FAILED);
    }

    @Test
    void copySourceHeader() throws S3Exception {
        assertThat(CopySource.parse("/b/a%20b/c?versionId=v1"))
                .isEqualTo(new CopySource("b", "a b/c", Optional.of("v1")));
        assertThat(CopySource.parse("b/k")).isEqualTo(new CopySource("b", "k", Optional.empty()));
        for (String bad : new String[] {"b", "/b/", "/b/k?other=1", "/b/k?versionId="}) {
            assertThatThrownBy(() -> CopySource.parse(bad)).as(bad).isInstanceOf(S3Exception.class);
        }
    }
}
