package io.keel.s3store;

import io.keel.s3.backend.S3Backend;
import io.keel.s3.http.S3ServerSdkTest;

/** keel-s3's AWS SDK conformance tests (buckets, objects, lists, copy, tags, presigning) on KeelS3Backend. */
class KeelS3SdkConformanceTest extends S3ServerSdkTest {
    @Override
    protected S3Backend newBackend() {
        return new TestStore().backend;
    }
}
