package io.keel.s3.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.s3.address.S3Address;
import io.keel.s3.auth.QueryParams;
import io.keel.s3.auth.SigV4Request;
import io.keel.s3.backend.BucketSetting;
import io.keel.s3.error.S3ErrorCode;
import io.keel.s3.error.S3Exception;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OperationResolverSettingsTest {
    private static S3Operation op(String method, String key, String query, boolean settings) throws S3Exception {
        S3Address a = new S3Address(S3Address.Style.PATH, Optional.of("b"), Optional.ofNullable(key));
        return OperationResolver.resolve(method, a, QueryParams.parse(query), new SigV4Request(method, "/b", query,
                Map.of()), settings);
    }

    private static S3ErrorCode fail(String method, String key, String query, boolean settings) {
        try {
            op(method, key, query, settings);
            return null;
        } catch (S3Exception e) {
            return e.code();
        }
    }

    @Test
    void bucketSettingSubresourcesResolveWhenServed() throws S3Exception {
        assertThat(op("PUT", null, "cors", true)).isEqualTo(new S3Operation.PutBucketCors("b"));
        assertThat(op("GET", null, "policy", true)).isEqualTo(new S3Operation.GetBucketPolicy("b"));
        assertThat(op("DELETE", null, "lifecycle", true)).isEqualTo(new S3Operation.DeleteBucketLifecycle("b"));
        assertThat(op("GET", null, "lifecycle", true).name()).isEqualTo("GetBucketLifecycleConfiguration");
        S3Operation.OnBucketSetting t = (S3Operation.OnBucketSetting) op("PUT", null, "tagging", true);
        assertThat(t.kind()).isEqualTo(BucketSetting.TAGGING);
        assertThat(t.verb()).isEqualTo(S3Operation.OnBucketSetting.Verb.PUT);
        assertThat(fail("POST", null, "cors", true)).isEqualTo(S3ErrorCode.METHOD_NOT_ALLOWED);
        // On objects these are not bucket settings: object tagging stays, the others stay unimplemented.
        assertThat(op("PUT", "k", "tagging", true)).isInstanceOf(S3Operation.PutObjectTagging.class);
        assertThat(fail("GET", "k", "cors", true)).isEqualTo(S3ErrorCode.NOT_IMPLEMENTED);
        assertThat(fail("GET", null, "acl", true)).isEqualTo(S3ErrorCode.NOT_IMPLEMENTED);
    }

    @Test
    void withoutSettingsTheyStayNotImplemented() {
        for (String sub : new String[] {"cors", "policy", "lifecycle", "tagging"}) {
            assertThat(fail("GET", null, sub, false)).isEqualTo(S3ErrorCode.NOT_IMPLEMENTED);
        }
    }
}
