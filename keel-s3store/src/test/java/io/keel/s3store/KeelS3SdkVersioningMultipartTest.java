package io.keel.s3store;

import io.keel.s3.backend.S3Backend;
import io.keel.s3.http.S3ServerSdkVersioningMultipartTest;

/** keel-s3's AWS SDK versioning and multipart conformance tests on KeelS3Backend. */
class KeelS3SdkVersioningMultipartTest extends S3ServerSdkVersioningMultipartTest {
    @Override
    protected S3Backend newBackend() {
        return new TestStore().backend;
    }
}
