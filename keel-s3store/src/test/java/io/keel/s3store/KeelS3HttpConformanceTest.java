package io.keel.s3store;

import io.keel.s3.backend.S3Backend;
import io.keel.s3.http.S3ServerHttpTest;
import java.time.Clock;

/**
 * keel-s3's raw-HTTP tests on KeelS3Backend: malformed and tampered requests (a bad body or a
 * lying trailer checksum must leave no object behind), HTTPS with the SDK.
 */
class KeelS3HttpConformanceTest extends S3ServerHttpTest {
    @Override
    protected S3Backend newBackend(String region) {
        return new TestStore(Clock.systemUTC(), region).backend;
    }
}
