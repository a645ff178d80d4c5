package io.keel.node.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.api.ApiException;
import io.keel.api.dto.CreateS3ClusterRequest;
import io.keel.api.dto.S3ClusterView;
import io.keel.api.dto.S3NodeView;
import io.keel.api.dto.UpdateS3ClusterRequest;
import io.keel.meta.cluster.S3Command;
import io.keel.meta.cluster.S3Tls;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** The S3 cluster through {@link S3ServiceImpl} over the real metadata logic, certificates included. */
class S3ServiceImplClusterTest {
    static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
    private final S3TestMeta meta = new S3TestMeta();
    private final S3ServiceImpl s3 = new S3ServiceImpl(meta::state, meta::submit, Clock.fixed(NOW, ZoneOffset.UTC),
            new SecureRandom());

    static CreateS3ClusterRequest create(String protocol, Boolean selfSigned, String cert, String key) {
        return new CreateS3ClusterRequest(List.of("node1", "n2"), "single", List.of("S3.Example.com", "s3.local"),
                protocol, null, null, selfSigned, cert, key);
    }

    static X509Certificate parse(String pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }

    static List<String> sans(X509Certificate cert) throws Exception {
        return cert.getSubjectAlternativeNames().stream().map(san -> {
            assertThat(san.get(0)).as("only DNS names").isEqualTo(2);
            return (String) san.get(1);
        }).toList();
    }

    @Test
    void httpsWithASelfSignedCertificateForEveryEndpointAndItsWildcard() throws Exception {
        S3ClusterView v = s3.createCluster(create(null, true, null, null));
        assertThat(v.protocol()).isEqualTo("HTTPS");
        assertThat(v.httpPort()).isZero();
        assertThat(v.httpsPort()).isEqualTo(S3ServiceImpl.DEFAULT_HTTPS_PORT).isEqualTo(7443);
        assertThat(v.nodes()).containsExactly(new S3NodeView("n1", "node1"), new S3NodeView("n2", "node2"));
        assertThat(v.endpoints()).containsExactly("s3.example.com", "s3.local");
        assertThat(v.indexShards()).containsExactly("idx-0");
        assertThat(v.selfSignedCertificate()).isTrue();
        assertThat(v.createdAt()).isEqualTo(NOW);

        X509Certificate cert = parse(v.certificatePem());
        List<String> expected = List.of("s3.example.com", "*.s3.example.com", "s3.local", "*.s3.local");
        assertThat(sans(cert)).containsExactlyElementsOf(expected);
        assertThat(v.certificateNames()).containsExactlyElementsOf(expected);
        assertThat(cert.getSubjectX500Principal().getName()).contains("CN=s3.example.com");
        assertThat(cert.getBasicConstraints()).as("a leaf, not a CA").isEqualTo(-1);
        assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(cert.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(cert.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(825))).isEqualTo(v.certificateNotAfter());
        assertThat(cert.getNotBefore().toInstant()).isBefore(NOW);
        cert.checkValidity(java.util.Date.from(NOW));
        cert.verify(cert.getPublicKey()); // self-signed

        S3Tls stored = meta.state().s3().tls().orElseThrow();
        assertThat(stored.certificatePem()).isEqualTo(v.certificatePem());
        assertThat(stored.privateKeyPem()).startsWith("-----BEGIN PRIVATE KEY-----\n");
        S3Certificates.checkPair(stored.certificatePem(), stored.privateKeyPem()); // the stored key is the certificate's
        assertThat(v.toString()).doesNotContain("PRIVATE KEY");
        assertThat(s3.cluster()).isEqualTo(v);
    }

    @Test
    void bothListenersTakeTheDefaultPortsAndHttpNeedsNoCertificate() {
        S3ClusterView both = s3.createCluster(create("both", true, null, null));
        assertThat(both.protocol()).isEqualTo("BOTH");
        assertThat(both.httpPort()).isEqualTo(7480);
        assertThat(both.httpsPort()).isEqualTo(7443);
        s3.deleteCluster();
        S3ClusterView http = s3.createCluster(new CreateS3ClusterRequest(List.of("n1"), "single", List.of("s3.local"),
                "HTTP", 8080, null, null, null, null));
        assertThat(http.httpPort()).isEqualTo(8080);
        assertThat(http.httpsPort()).isZero();
        assertThat(http.certificatePem()).isNull();
        assertThat(http.certificateNames()).isNull();
        assertThat(meta.state().s3().tls()).isEmpty();
    }

    @Test
    void refusalsNameTheProblemAndChangeNothing() {
        invalid(() -> s3.createCluster(create("HTTPS", null, null, null)), "HTTPS needs a certificate");
        invalid(() -> s3.createCluster(create("HTTP", true, null, null)), "protocol is HTTP only");
        invalid(() -> s3.createCluster(create("SPDY", true, null, null)), "protocol must be HTTP, HTTPS or BOTH");
        invalid(() -> s3.createCluster(new CreateS3ClusterRequest(List.of("n1"), "single", List.of("s3.local"), "HTTPS",
                9000, null, true, null, null)), "the protocol does not include HTTP");
        invalid(() -> s3.createCluster(new CreateS3ClusterRequest(List.of("n1"), "single", List.of("10.0.0.1"), "HTTPS",
                null, null, true, null, null)), "is an IP address");
        assertError(() -> s3.createCluster(new CreateS3ClusterRequest(List.of("node9"), "single", List.of("s3.local"),
                null, null, null, true, null, null)), 404, "no node node9");
        assertError(() -> s3.createCluster(new CreateS3ClusterRequest(List.of("n1"), "gold", List.of("s3.local"),
                null, null, null, true, null, null)), 404, "no storage policy");
        assertError(s3::cluster, 404, "there is no S3 cluster");
        assertThat(meta.state().s3().cluster()).isEmpty();
        s3.createCluster(create(null, true, null, null));
        assertError(() -> s3.createCluster(create(null, true, null, null)), 409, "already exists");
    }

    @Test
    void anAdministratorsCertificateIsStoredWhenItsKeyFits() throws Exception {
        S3Tls own = S3Certificates.selfSigned(List.of("objects.example.org"), NOW, new SecureRandom());
        S3Tls other = S3Certificates.selfSigned(List.of("objects.example.org"), NOW, new SecureRandom());
        invalid(() -> s3.createCluster(create(null, null, own.certificatePem(), other.privateKeyPem())),
                "the private key does not belong to the certificate");
        String garbage = "-----BEGIN PRIVATE KEY-----\nTOP-SECRET-KEY-MATERIAL\n-----END PRIVATE KEY-----\n";
        ApiException e = invalid(() -> s3.createCluster(create(null, null, own.certificatePem(), garbage)),
                "privateKeyPem is not an unencrypted PEM private key");
        assertThat(e.getMessage()).doesNotContain("TOP-SECRET");
        invalid(() -> s3.createCluster(create(null, null, "not a certificate", own.privateKeyPem())),
                "certificatePem is not a PEM X.509 certificate chain");
        invalid(() -> s3.createCluster(create("HTTP", null, own.certificatePem(), own.privateKeyPem())),
                "protocol is HTTP only");
        assertThat(meta.state().s3().cluster()).isEmpty();

        S3ClusterView v = s3.createCluster(create(null, null, own.certificatePem(), own.privateKeyPem()));
        assertThat(v.selfSignedCertificate()).isFalse();
        assertThat(v.certificatePem()).isEqualTo(own.certificatePem());
        assertThat(v.certificateNames()).containsExactly("objects.example.org", "*.objects.example.org");
        assertThat(meta.state().s3().tls()).contains(own);
    }

    @Test
    void updateRegeneratesASelfSignedCertificateForNewEndpointsAndDropsItWithHttps() throws Exception {
        S3ClusterView first = s3.createCluster(create(null, true, null, null));
        S3ClusterView moved = s3.updateCluster(new UpdateS3ClusterRequest(List.of("node3"), List.of("s3.corp.example"),
                null, null, 8443, null, null, null));
        assertThat(moved.nodes()).containsExactly(new S3NodeView("n3", "node3"));
        assertThat(moved.httpsPort()).isEqualTo(8443);
        assertThat(moved.certificatePem()).isNotEqualTo(first.certificatePem());
        assertThat(sans(parse(moved.certificatePem()))).containsExactly("s3.corp.example", "*.s3.corp.example");
        assertThat(moved.createdAt()).isEqualTo(first.createdAt());

        S3ClusterView plain = s3.updateCluster(new UpdateS3ClusterRequest(null, null, "http", null, null, null, null, null));
        assertThat(plain.httpPort()).isEqualTo(7480);
        assertThat(plain.httpsPort()).isZero();
        assertThat(plain.certificatePem()).isNull();
        assertThat(plain.selfSignedCertificate()).isFalse();
        assertThat(meta.state().s3().tls()).as("a key nobody serves with is only something to leak").isEmpty();

        invalid(() -> s3.updateCluster(new UpdateS3ClusterRequest(null, null, "BOTH", null, null, null, null, null)),
                "HTTPS needs a certificate");
        S3ClusterView back = s3.updateCluster(new UpdateS3ClusterRequest(null, null, "BOTH", null, null, true, null, null));
        assertThat(back.httpPort()).isEqualTo(7480);
        assertThat(back.httpsPort()).isEqualTo(7443);
        assertThat(back.selfSignedCertificate()).isTrue();
        assertThat(back.certificateNames()).containsExactly("s3.corp.example", "*.s3.corp.example");

        S3Tls own = S3Certificates.selfSigned(List.of("s3.corp.example"), NOW, new SecureRandom());
        S3ClusterView given = s3.updateCluster(new UpdateS3ClusterRequest(null, null, null, null, null, null,
                own.certificatePem(), own.privateKeyPem()));
        assertThat(given.selfSignedCertificate()).isFalse();
        assertThat(given.certificatePem()).isEqualTo(own.certificatePem());
        // An administrator's certificate is never replaced behind their back.
        S3ClusterView renamed = s3.updateCluster(new UpdateS3ClusterRequest(null, List.of("s3.other.example"), null,
                null, null, null, null, null));
        assertThat(renamed.certificatePem()).isEqualTo(own.certificatePem());
    }

    @Test
    void deleteIsRefusedWhileBucketsExist() {
        s3.createCluster(create(null, true, null, null));
        meta.submit(new S3Command.CreateUser("u1", "alice@example.com", null, NOW));
        meta.submit(new S3Command.CreateBucket("b1", "photos", "u1", "idx-0", NOW));
        assertError(s3::deleteCluster, 409, "1 bucket(s) (\"photos\")");
        assertThat(meta.state().s3().cluster()).isPresent();
        meta.submit(new S3Command.DeleteBucket("photos", new S3Command.EmptySeal("b1", 1, NOW.plusSeconds(30)), NOW));
        s3.deleteCluster();
        assertThat(meta.state().s3().cluster()).isEmpty();
        assertThat(meta.state().s3().tls()).isEmpty();
        assertError(s3::deleteCluster, 404, "there is no S3 cluster");
    }

    static ApiException invalid(ThrowingCallable call, String message) {
        return assertError(call, 400, message);
    }

    static ApiException assertError(ThrowingCallable call, int status, String message) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(call);
        assertThat(t).isInstanceOf(ApiException.class).hasMessageContaining(message);
        assertThat(((ApiException) t).status()).as(t.getMessage()).isEqualTo(status);
        return (ApiException) t;
    }
}
