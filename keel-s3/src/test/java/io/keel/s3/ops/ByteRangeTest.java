package io.keel.s3.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.s3.error.S3ErrorCode;
import io.keel.s3.error.S3Exception;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ByteRangeTest {
    private static Optional<ByteRange> r(String h, long size) throws S3Exception {
        return ByteRange.resolve(Optional.of(h), size);
    }

    @Test
    void forms() throws S3Exception {
        assertThat(r("bytes=0-9", 100)).contains(new ByteRange(0, 10));
        assertThat(r("bytes=90-200", 100)).contains(new ByteRange(90, 10));
        assertThat(r("bytes=95-", 100)).contains(new ByteRange(95, 5));
        assertThat(r("bytes=-5", 100)).contains(new ByteRange(95, 5));
        assertThat(r("bytes=-500", 100)).contains(new ByteRange(0, 100));
        assertThat(r("bytes=0-0", 1).orElseThrow().contentRange(1)).isEqualTo("bytes 0-0/1");
    }

    @Test
    void ignoredSyntaxMeansWholeObject() throws S3Exception {
        for (String h : new String[] {"items=0-1", "bytes=0-1,3-4", "bytes=a-b", "bytes=", "bytes=-", "bytes=5-1"}) {
            assertThat(r(h, 100)).as(h).isEmpty();
        }
        assertThat(ByteRange.resolve(Optional.empty(), 10)).isEmpty();
    }

    @Test
    void unsatisfiable() {
        for (String h : new String[] {"bytes=100-", "bytes=100-200", "bytes=-0"}) {
            assertThatThrownBy(() -> r(h, 100)).extracting(e -> ((S3Exception) e).code())
                    .isEqualTo(S3ErrorCode.INVALID_RANGE);
        }
        assertThatThrownBy(() -> r("bytes=0-", 0)).isInstanceOf(S3Exception.class);
        assertThatThrownBy(() -> r("bytes=-1", 0)).isInstanceOf(S3Exception.class);
    }

    @Test
    void copySourceRangeIsStrict() throws S3Exception {
        assertThat(MultipartHandlers.copyRange(Optional.of("bytes=2-4"), 10)).isEqualTo(new ByteRange(2, 3));
        assertThat(MultipartHandlers.copyRange(Optional.empty(), 10)).isEqualTo(new ByteRange(0, 10));
        assertThatThrownBy(() -> MultipartHandlers.copyRange(Optional.of("bytes=5-"), 10))
                .extracting(e -> ((S3Exception) e).code()).isEqualTo(S3ErrorCode.INVALID_ARGUMENT);
        assertThatThrownBy(() -> MultipartHandlers.copyRange(Optional.of("bytes=5-10"), 10))
                .extracting(e -> ((S3Exception) e).code()).isEqualTo(S3ErrorCode.INVALID_RANGE);
    }
}
