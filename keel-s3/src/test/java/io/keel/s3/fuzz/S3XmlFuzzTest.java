package io.keel.s3.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.keel.s3.error.S3Exception;
import io.keel.s3.xml.RequestBodies;

/**
 * Fuzzes the request-body XML parsers (DeleteObjects, CompleteMultipartUpload, Tagging,
 * VersioningConfiguration, CreateBucketConfiguration). Stored inputs in
 * {@code S3XmlFuzzTestInputs/requestBodies/} run under plain {@code mvn test}; the first byte picks
 * the parser. The only acceptable failure is an {@link S3Exception}.
 */
class S3XmlFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void requestBodies(FuzzedDataProvider data) {
        // The first byte picks the parser, so stored inputs read as written (FuzzedDataProvider
        // would take a consumed int from the end and cut the document's last byte).
        byte[] all = data.consumeRemainingAsBytes();
        int which = all.length == 0 ? 0 : (all[0] & 0xFF) % 5;
        byte[] xml = all.length == 0 ? all : java.util.Arrays.copyOfRange(all, 1, all.length);
        try {
            switch (which) {
                case 0 -> RequestBodies.delete(xml);
                case 1 -> RequestBodies.complete(xml);
                case 2 -> RequestBodies.tagging(xml);
                case 3 -> RequestBodies.versioning(xml);
                default -> RequestBodies.locationConstraint(xml);
            }
        } catch (S3Exception expected) {
            // a client error, answered as S3 XML
        }
    }
}
