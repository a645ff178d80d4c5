package io.keel.meta.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class S3NamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"abc", "my-bucket", "my.bucket.2026", "a1b", "0-0", "abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyza"})
    void validBucketNames(String name) {
        assertThat(S3Names.validateBucketName(name)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ab", "-abc", "abc-", ".abc", "abc.", "a..b", "a.-b", "a-.b", "ABC", "a_b", "a b",
        "10.1.2.3", "xn--a", "sthree-a", "amzn-s3-demo-a", "a-s3alias", "a--ol-s3", "a.mrap", "a--x-s3",
        "a--table-s3", "é-bucket"})
    void invalidBucketNames(String name) {
        assertThat(S3Names.validateBucketName(name)).isPresent();
        assertThat(S3Names.validateBucketName("x".repeat(64))).isPresent();
        assertThat(S3Names.validateBucketName(null)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a@b", "first.last@example.com", "x+tag@sub.example.org", "o'neil@example.ie",
        "UPPER@EXAMPLE.COM"})
    void validEmails(String email) {
        assertThat(S3Names.validateEmail(email)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "@example.com", "a@", "a@@b.com", "a.@b.com", ".a@b.com", "a..b@c.com",
        "a\"b@c.com", "a@-b.com", "a@b..com", "a@10.0.0.1", "ü@example.com"})
    void invalidEmails(String email) {
        assertThat(S3Names.validateEmail(email)).isPresent();
        assertThat(S3Names.validateEmail("a".repeat(65) + "@b.com")).isPresent();
        assertThat(S3Names.validateEmail("a@" + "b".repeat(260) + ".com")).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "s3.example.com", "s3-1.eu-west.example.com", "x1"})
    void validHostnames(String name) {
        assertThat(S3Names.validateHostname(name)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "a.", ".a", "-a.com", "a-.com", "a_b.com", "S3.example.com", "a..b",
        "1.2.3.4", "*.example.com"})
    void invalidHostnames(String name) {
        assertThat(S3Names.validateHostname(name)).isPresent();
        assertThat(S3Names.validateHostname("a".repeat(64) + ".com")).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"KEELABCDEFGHIJKLMNOP", "KEEL2345672345672345"})
    void validAccessKeyIds(String id) {
        assertThat(S3Names.validateAccessKeyId(id)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"AKIAIOSFODNN7EXAMPLE", "KEELabcdefghijklmnop", "KEEL0BCDEFGHIJKLMNOP", "KEELABC",
        "KEELABCDEFGHIJKLMNOPQ"})
    void invalidAccessKeyIds(String id) {
        assertThat(S3Names.validateAccessKeyId(id)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"short", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY1",
        "wJalrXUtnFEMI-K7MDENG/bPxRfiCYEXAMPLEKEY"})
    void invalidSecretsAreNamedButNeverQuoted(String secret) {
        assertThat(S3Names.validateSecret(secret)).hasValueSatisfying(m -> assertThat(m).doesNotContain(secret));
    }
}
