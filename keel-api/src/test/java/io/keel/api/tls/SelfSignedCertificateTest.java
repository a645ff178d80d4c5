package io.keel.api.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelfSignedCertificateTest {
    @TempDir
    Path dir;

    @Test
    void createsOnceThenReuses() throws Exception {
        Path file = dir.resolve("sub/api.p12");
        char[] pw = "pw".toCharArray();
        X509Certificate cert = SelfSignedCertificate.create(file, pw, List.of("localhost", "127.0.0.1", "::1", "node-1.example"));
        cert.checkValidity();
        cert.verify(cert.getPublicKey());
        assertThat(cert.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(cert.getBasicConstraints()).isEqualTo(-1);
        assertThat(cert.getNotAfter().toInstant()).isAfter(Instant.now().plus(Duration.ofDays(3640)));
        List<String> sans = cert.getSubjectAlternativeNames().stream().map(l -> String.valueOf(l.get(1))).toList();
        assertThat(sans).contains("localhost", "127.0.0.1", "node-1.example")
                .anySatisfy(v -> assertThat(v).startsWith("0:0:0:0:0:0:0:1"));
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file); // no temp file left behind
        }

        X509Certificate again = SelfSignedCertificate.create(file, pw, List.of("other"));
        assertThat(again).isEqualTo(cert);
    }
}
