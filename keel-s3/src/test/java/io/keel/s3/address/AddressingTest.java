package io.keel.s3.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.s3.error.S3ErrorCode;
import io.keel.s3.error.S3Exception;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AddressingTest {
    final Addressing addressing = new Addressing(List.of("s3.example.com", "localhost"));

    S3Address resolve(String host, String path) throws S3Exception {
        return addressing.resolve(host, path);
    }

    @Test
    void virtualHostedStyle() throws Exception {
        S3Address a = resolve("photos.s3.example.com", "/2026/a%20b.jpg");
        assertThat(a).isEqualTo(new S3Address(S3Address.Style.VIRTUAL_HOSTED, Optional.of("photos"), Optional.of("2026/a b.jpg")));
        assertThat(resolve("My.Bucket.S3.Example.com:9000", "/").bucket()).contains("my.bucket");
        assertThat(resolve("photos.s3.example.com.", "/").key()).isEmpty();
        assertThat(resolve("photos.localhost:8080", "//x").key()).contains("/x");
        assertThat(resolve("photos.s3.example.com", "/a").resource()).isEqualTo("/photos/a");
    }

    @Test
    void pathStyleForTheEndpointItselfAndForUnknownHosts() throws Exception {
        assertThat(resolve("s3.example.com", "/")).isEqualTo(new S3Address(S3Address.Style.PATH, Optional.empty(), Optional.empty()));
        assertThat(resolve("s3.example.com", "/").resource()).isEqualTo("/");
        assertThat(resolve("s3.example.com", "/photos")).isEqualTo(new S3Address(S3Address.Style.PATH, Optional.of("photos"), Optional.empty()));
        assertThat(resolve("s3.example.com", "/photos/")).isEqualTo(new S3Address(S3Address.Style.PATH, Optional.of("photos"), Optional.empty()));
        assertThat(resolve("127.0.0.1:9000", "/photos/a/b+c%2Bd")).isEqualTo(
                new S3Address(S3Address.Style.PATH, Optional.of("photos"), Optional.of("a/b+c+d")));
        assertThat(resolve("[::1]:9000", "/photos/k").key()).contains("k");
        assertThat(resolve(null, "/photos/%E6%97%A5%E6%9C%AC").key()).contains("日本");
        assertThat(resolve("other.example.org", "/b/k").bucket()).contains("b");
        assertThat(resolve("xs3.example.com", "/b/k").style()).isEqualTo(S3Address.Style.PATH);
    }

    @Test
    void malformedPathsAreInvalidUri() {
        for (String p : List.of("/b/%", "/b/%G0", "/b/%C3", "/b/%FF%FE", "b/k", "//k")) {
            assertThatThrownBy(() -> resolve("s3.example.com", p)).as(p)
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.code()).isEqualTo(S3ErrorCode.INVALID_URI));
        }
    }

    @Test
    void keysAreLimitedTo1024Utf8Bytes() throws Exception {
        assertThat(resolve("s3.example.com", "/b/" + "k".repeat(1024)).key()).isPresent();
        assertThatThrownBy(() -> resolve("s3.example.com", "/b/" + "k".repeat(1025)))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.code()).isEqualTo(S3ErrorCode.KEY_TOO_LONG));
        assertThatThrownBy(() -> resolve("s3.example.com", "/b/" + "%C3%A9".repeat(513)))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.code()).isEqualTo(S3ErrorCode.KEY_TOO_LONG));
    }

    @Test
    void uriEncodingFollowsSigV4() throws Exception {
        assertThat(UriCodec.encode("a b/c~d-e_f.g!*'()+=&", true)).isEqualTo("a%20b/c~d-e_f.g%21%2A%27%28%29%2B%3D%26");
        assertThat(UriCodec.encode("a/b", false)).isEqualTo("a%2Fb");
        assertThat(UriCodec.encode("é🙂", false)).isEqualTo("%C3%A9%F0%9F%99%82");
        assertThat(UriCodec.decode("%c3%a9+%20")).isEqualTo("é+ ");
    }

    @Test
    void bucketNames() {
        for (String ok : List.of("abc", "my-bucket", "my.bucket.01", "a".repeat(63), "1bucket", "b-1.c-2")) {
            assertThat(BucketNames.problem(ok)).as(ok).isEmpty();
        }
        assertThat(BucketNames.problem("ab")).contains("Bucket name must be between 3 and 63 characters long");
        assertThat(BucketNames.problem("a".repeat(64))).contains("Bucket name must be between 3 and 63 characters long");
        assertThat(BucketNames.problem("MyBucket")).contains("Bucket name can contain only lowercase letters, numbers, dots and hyphens");
        assertThat(BucketNames.problem("my_bucket")).contains("Bucket name can contain only lowercase letters, numbers, dots and hyphens");
        assertThat(BucketNames.problem("-bucket")).contains("Bucket name must begin and end with a letter or number");
        assertThat(BucketNames.problem("bucket.")).contains("Bucket name must begin and end with a letter or number");
        assertThat(BucketNames.problem("my..bucket")).contains("Bucket name must not contain two adjacent periods");
        assertThat(BucketNames.problem("my.-bucket")).contains("Bucket name must not contain a hyphen next to a period");
        assertThat(BucketNames.problem("192.168.5.4")).contains("Bucket name must not be formatted as an IP address");
        assertThat(BucketNames.problem("xn--bucket")).contains("Bucket name must not start with the reserved prefix 'xn--'");
        assertThat(BucketNames.problem("sthree-b")).contains("Bucket name must not start with the reserved prefix 'sthree-'");
        assertThat(BucketNames.problem("bucket-s3alias")).contains("Bucket name must not end with the reserved suffix '-s3alias'");
        assertThat(BucketNames.problem("bucket--ol-s3")).contains("Bucket name must not end with the reserved suffix '--ol-s3'");
        assertThat(BucketNames.problem("192.168.5.4.5")).isEmpty();
        assertThat(BucketNames.isValid("bucket.mrap")).isFalse();
    }
}
