package io.keel.s3.http;

import io.keel.s3.backend.S3Backend;
import java.time.Clock;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.*;

/** A real server (in-memory storage) on a socket, and SDK clients for path- and virtual-hosted-style. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class SdkTestBase {
    S3Harness h;
    S3Client path;
    S3Client vhost;

    @BeforeAll
    void start() throws Exception {
        h = new S3Harness(false, S3Harness.REGION, newBackend());
        path = h.client("AKIDALICE", true);
        vhost = h.client("AKIDALICE", false);
    }

    /**
     * The storage under test. The in-memory double here; a module with a real backend extends the
     * SDK test classes (published in keel-s3's test-jar) and overrides this, reusing every test.
     * The backend must report region {@code keel-1} and know users {@code alice} and {@code bob}.
     */
    protected S3Backend newBackend() {
        return new InMemoryBackend(Clock.systemUTC());
    }

    @AfterAll
    void stop() {
        path.close();
        vhost.close();
        h.close();
    }

    static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static int status(Runnable r) {
        try {
            r.run();
        } catch (S3Exception e) {
            return e.statusCode();
        }
        return 200;
    }

    static String code(Runnable r) {
        try {
            r.run();
        } catch (S3Exception e) {
            return e.awsErrorDetails().errorCode();
        }
        return "none";
    }
}
