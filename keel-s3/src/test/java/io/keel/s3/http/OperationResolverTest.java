package io.keel.s3.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.s3.address.S3Address;
import io.keel.s3.auth.QueryParams;
import io.keel.s3.auth.SigV4Request;
import io.keel.s3.error.S3ErrorCode;
import io.keel.s3.error.S3Exception;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OperationResolverTest {
    private static S3Operation op(String method, String bucket, String key, String query, String... headers)
            throws S3Exception {
        S3Address a = new S3Address(S3Address.Style.PATH, Optional.ofNullable(bucket), Optional.ofNullable(key));
        Map<String, List<String>> h = headers.length == 0 ? Map.of() : Map.of(headers[0], List.of(headers[1]));
        return OperationResolver.resolve(method, a, QueryParams.parse(query), new SigV4Request(method, "/", query, h));
    }

    private static S3ErrorCode fail(String method, String bucket, String key, String query) {
        try {
            op(method, bucket, key, query);
            return null;
        } catch (S3Exception e) {
            return e.code();
        }
    }

    @Test
    void routes() throws S3Exception {
        assertThat(op("GET", null, null, "")).isInstanceOf(S3Operation.ListBuckets.class);
        assertThat(op("PUT", "b", null, "")).isInstanceOf(S3Operation.CreateBucket.class);
        assertThat(op("PUT", "b", null, "versioning")).isInstanceOf(S3Operation.PutBucketVersioning.class);
        assertThat(op("GET", "b", null, "versioning")).isInstanceOf(S3Operation.GetBucketVersioning.class);
        assertThat(op("GET", "b", null, "location")).isInstanceOf(S3Operation.GetBucketLocation.class);
        assertThat(op("GET", "b", null, "versions&prefix=a")).isInstanceOf(S3Operation.ListObjectVersions.class);
        assertThat(op("GET", "b", null, "uploads")).isInstanceOf(S3Operation.ListMultipartUploads.class);
        assertThat(op("GET", "b", null, "list-type=2")).isInstanceOf(S3Operation.ListObjectsV2.class);
        assertThat(op("GET", "b", null, "prefix=x")).isInstanceOf(S3Operation.ListObjects.class);
        assertThat(op("POST", "b", null, "delete")).isInstanceOf(S3Operation.DeleteObjects.class);
        assertThat(op("HEAD", "b", null, "")).isInstanceOf(S3Operation.HeadBucket.class);
        assertThat(op("DELETE", "b", null, "")).isInstanceOf(S3Operation.DeleteBucket.class);
        assertThat(op("PUT", "b", "k", "x-id=PutObject")).isInstanceOf(S3Operation.PutObject.class);
        assertThat(op("PUT", "b", "k", "", "x-amz-copy-source", "/a/b")).isInstanceOf(S3Operation.CopyObject.class);
        assertThat(op("PUT", "b", "k", "partNumber=1&uploadId=u")).isEqualTo(new S3Operation.UploadPart("b", "k", "u"));
        assertThat(op("PUT", "b", "k", "partNumber=1&uploadId=u", "x-amz-copy-source", "/a/b"))
                .isEqualTo(new S3Operation.UploadPartCopy("b", "k", "u"));
        assertThat(op("PUT", "b", "k", "tagging")).isInstanceOf(S3Operation.PutObjectTagging.class);
        assertThat(op("GET", "b", "k", "tagging")).isInstanceOf(S3Operation.GetObjectTagging.class);
        assertThat(op("DELETE", "b", "k", "tagging")).isInstanceOf(S3Operation.DeleteObjectTagging.class);
        assertThat(op("GET", "b", "k", "uploadId=u")).isEqualTo(new S3Operation.ListParts("b", "k", "u"));
        assertThat(op("GET", "b", "k", "versionId=v")).isInstanceOf(S3Operation.GetObject.class);
        assertThat(op("HEAD", "b", "k", "")).isInstanceOf(S3Operation.HeadObject.class);
        assertThat(op("DELETE", "b", "k", "uploadId=u")).isEqualTo(new S3Operation.AbortMultipartUpload("b", "k", "u"));
        assertThat(op("DELETE", "b", "k", "")).isInstanceOf(S3Operation.DeleteObject.class);
        assertThat(op("POST", "b", "k", "uploads")).isInstanceOf(S3Operation.CreateMultipartUpload.class);
        assertThat(op("POST", "b", "k", "uploadId=u")).isEqualTo(new S3Operation.CompleteMultipartUpload("b", "k", "u"));
    }

    @Test
    void unsupportedIsNeverAWrongSuccess() {
        assertThat(fail("PUT", "b", "k", "acl")).isEqualTo(S3ErrorCode.NOT_IMPLEMENTED);
        assertThat(fail("PUT", "b", null, "policy")).isEqualTo(S3ErrorCode.NOT_IMPLEMENTED);
        assertThat(fail("PUT", "b", null, "tagging")).isEqualTo(S3ErrorCode.NOT_IMPLEMENTED);
        assertThat(fail("GET", "b", null, "cors")).isEqualTo(S3ErrorCode.NOT_IMPLEMENTED);
        assertThat(fail("DELETE", "b", null, "lifecycle")).isEqualTo(S3ErrorCode.NOT_IMPLEMENTED);
        assertThat(fail("POST", "b", "k", "restore")).isEqualTo(S3ErrorCode.NOT_IMPLEMENTED);
        assertThat(fail("POST", "b", "k", "select&select-type=2")).isEqualTo(S3ErrorCode.NOT_IMPLEMENTED);
        assertThat(fail("GET", "b", "k", "partNumber=1")).isEqualTo(S3ErrorCode.NOT_IMPLEMENTED);
        assertThat(fail("PUT", null, null, "")).isEqualTo(S3ErrorCode.METHOD_NOT_ALLOWED);
        assertThat(fail("GET", "b", null, "list-type=3")).isEqualTo(S3ErrorCode.INVALID_ARGUMENT);
        assertThat(fail("PUT", "b", "k", "uploadId=u")).isEqualTo(S3ErrorCode.INVALID_ARGUMENT);
        assertThat(fail("POST", "b", null, "")).isEqualTo(S3ErrorCode.METHOD_NOT_ALLOWED);
    }
}
