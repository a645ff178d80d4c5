package io.keel.meta.cluster;

import java.time.Instant;
import java.util.List;

/** A cluster ready for S3: three storage nodes with chunk services, policy "single", and helpers. */
final class S3Fixtures {
    static final Instant AT = Fixtures.T0.plusSeconds(3600);
    /** A self-signed P-256 certificate for s3.example.com and *.s3.example.com (public, test only). */
    static final String CERT = """
            -----BEGIN CERTIFICATE-----
            MIIBtjCCAVugAwIBAgIUOTP/nIa48jCx/QT8892LxiXh3EIwCgYIKoZIzj0EAwIw
            GTEXMBUGA1UEAwwOczMuZXhhbXBsZS5jb20wHhcNMjYxMjAzMTQ0MjU1WhcNMzYx
            MTMwMTQ0MjU1WjAZMRcwFQYDVQQDDA5zMy5leGFtcGxlLmNvbTBZMBMGByqGSM49
            AgEGCCqGSM49AwEHA0IABEM7ErCH9ny0jNXXhRgTbrvleNTv5WIXTDyNFJgJbs7v
            MNTzM6wGPi3P1/AyESjfVgKdALWRqOWAR57aPFKb/C+jgYAwfjAdBgNVHQ4EFgQU
            Ygs/iNNO9o6DGioQX/JrDwXS7MowHwYDVR0jBBgwFoAUYgs/iNNO9o6DGioQX/Jr
            DwXS7MowDwYDVR0TAQH/BAUwAwEB/zArBgNVHREEJDAigg5zMy5leGFtcGxlLmNv
            bYIQKi5zMy5leGFtcGxlLmNvbTAKBggqhkjOPQQDAgNJADBGAiEAnfxtW1PBln5T
            gdjUzdlElCDVexkrm40E3PkuXo4NsRQCIQDPrVES6XcxLor0fPfv0dCnkZ4Ffcf0
            ALjJT0uYZKdEkA==
            -----END CERTIFICATE-----
            """;
    /** Only the shape is checked by the metadata; no real key material belongs in a test. */
    static final String KEY_MARKER = "TOP-SECRET-KEY-MATERIAL";
    static final String KEY = "-----BEGIN PRIVATE KEY-----\n" + KEY_MARKER + "\n-----END PRIVATE KEY-----\n";
    static final S3Tls TLS = new S3Tls(CERT, KEY);
    static final String SECRET_A = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    static final String SECRET_B = "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY";

    private S3Fixtures() {}

    static S3Command.CreateCluster createCluster() {
        return new S3Command.CreateCluster(List.of("n1", "n2"), "single", List.of("s3.example.com"),
                S3Cluster.Protocol.BOTH, 9000, 9443, TLS, true, List.of("idx-0"), AT);
    }

    /** Storage cluster, policy "single", and the S3 cluster on n1, n2 (HTTP 9000, HTTPS 9443, shard idx-0). */
    static Harness withS3() {
        Harness h = Harness.withChunkServices();
        h.applied(createCluster());
        return h;
    }

    /** {@link #withS3()} plus user u1 (alice@example.com) with key {@link #keyId(int) keyId(1)}. */
    static Harness withUser() {
        Harness h = withS3();
        h.applied(new S3Command.CreateUser("u1", "alice@example.com", "Alice", AT));
        h.applied(new S3Command.CreateAccessKey(keyId(1), "u1", SECRET_A, AT));
        return h;
    }

    /** A valid access key id, distinct per {@code i}. */
    static String keyId(int i) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        StringBuilder s = new StringBuilder("KEEL");
        for (int d = 0; d < 16; d++) {
            s.append(alphabet.charAt(d < 12 ? 0 : (i >> (5 * (15 - d))) & 31));
        }
        return s.toString();
    }

    static S3Command.EmptySeal seal(Harness h, String bucket) {
        S3Bucket b = h.state().s3().bucket(bucket).orElseThrow();
        return new S3Command.EmptySeal(b.id(), b.indexLayout(), AT.plusSeconds(30));
    }
}
