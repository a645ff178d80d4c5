package io.keel.s3.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.s3.error.S3ErrorCode;
import io.keel.s3.error.S3Exception;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MultipartRulesTest {
    private static final String E1 = "0123456789abcdef0123456789abcdef";
    private static final String E2 = "fedcba9876543210fedcba9876543210";

    private static PartInfo part(int n, long size, String etag) {
        return new PartInfo(n, size, etag, Instant.EPOCH, Optional.empty());
    }

    @Test
    void etagIsMd5OfBinaryPartMd5sWithCount() throws Exception {
        var a = MultipartRules.assemble(List.of(new CompletedPart(1, E1), new CompletedPart(3, E2.toUpperCase())),
                Map.of(1, part(1, MultipartRules.MIN_PART_SIZE, E1), 3, part(3, 1, E2)), MultipartRules.MIN_PART_SIZE);
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        md5.update(HexFormat.of().parseHex(E1));
        md5.update(HexFormat.of().parseHex(E2));
        assertThat(a.etag()).isEqualTo(HexFormat.of().formatHex(md5.digest()) + "-2");
        assertThat(a.size()).isEqualTo(MultipartRules.MIN_PART_SIZE + 1);
    }

    @Test
    void errors() {
        Map<Integer, PartInfo> stored = Map.of(1, part(1, 10, E1), 2, part(2, 10, E2));
        assertThatThrownBy(() -> MultipartRules.assemble(List.of(new CompletedPart(1, E2)), stored, 5))
                .extracting(e -> ((S3Exception) e).code()).isEqualTo(S3ErrorCode.INVALID_PART);
        assertThatThrownBy(() -> MultipartRules.assemble(List.of(new CompletedPart(7, E1)), stored, 5))
                .extracting(e -> ((S3Exception) e).code()).isEqualTo(S3ErrorCode.INVALID_PART);
        assertThatThrownBy(() -> MultipartRules.assemble(List.of(new CompletedPart(1, E1), new CompletedPart(2, E2)),
                stored, 11)).extracting(e -> ((S3Exception) e).code()).isEqualTo(S3ErrorCode.ENTITY_TOO_SMALL);
        assertThatThrownBy(() -> MultipartRules.assemble(List.of(), stored, 5))
                .extracting(e -> ((S3Exception) e).code()).isEqualTo(S3ErrorCode.MALFORMED_XML);
    }
}
