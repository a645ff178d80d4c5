package io.keel.node.service;

import static io.keel.node.service.S3ServiceImplClusterTest.NOW;
import static io.keel.node.service.S3ServiceImplClusterTest.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.api.ApiException;
import io.keel.meta.cluster.S3Tls;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.Test;

/** The certificate an administrator brings: every common PEM key form, and keys that do not fit. */
class S3CertificatesTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    private static KeyPair keys(String algorithm) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
        if (algorithm.equals("RSA")) {
            g.initialize(2048, RANDOM);
        }
        return g.generateKeyPair();
    }

    /** A bare certificate for {@code keys}, signed with them, as an administrator's CA tooling would make. */
    private static String certificate(KeyPair keys, String signature) throws Exception {
        X500Name name = new X500Name("CN=s3.example.com");
        var builder = new JcaX509v3CertificateBuilder(name, BigInteger.ONE, Date.from(NOW),
                Date.from(NOW.plusSeconds(86400)), name, keys.getPublic());
        var cert = new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder(signature).build(keys.getPrivate())));
        return pem(cert);
    }

    private static String pem(Object o) throws Exception {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(o);
        }
        return out.toString();
    }

    /**
     * The SEC1 form OpenSSL writes ({@code openssl ecparam -genkey}), with the curve inside; the
     * JDK's PKCS#8 encoding leaves it out of the inner structure, so it is added here.
     */
    private static String sec1(KeyPair ec) throws Exception {
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(ec.getPrivate().getEncoded());
        var key = (java.security.interfaces.ECPrivateKey) ec.getPrivate();
        ECPrivateKey full = new ECPrivateKey(key.getParams().getOrder().bitLength(), key.getS(),
                info.getPrivateKeyAlgorithm().getParameters());
        return pem(new PemObject("EC PRIVATE KEY", full.getEncoded()));
    }

    @Test
    void rsaEcAndEd25519KeysInEveryUnencryptedPemFormFitTheirCertificates() throws Exception {
        KeyPair rsa = keys("RSA");
        String rsaCert = certificate(rsa, "SHA256withRSA");
        String pkcs1 = pem(rsa.getPrivate());
        assertThat(pkcs1).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThatCode(() -> S3Certificates.checkPair(rsaCert, pkcs1)).doesNotThrowAnyException();
        String pkcs8 = pem(new JcaPKCS8Generator(rsa.getPrivate(), null));
        assertThat(pkcs8).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThatCode(() -> S3Certificates.checkPair(rsaCert, pkcs8)).doesNotThrowAnyException();

        KeyPair ec = keys("EC");
        String ecCert = certificate(ec, "SHA256withECDSA");
        String sec1 = sec1(ec);
        assertThat(sec1).startsWith("-----BEGIN EC PRIVATE KEY-----");
        assertThatCode(() -> S3Certificates.checkPair(ecCert, sec1)).doesNotThrowAnyException();

        KeyPair ed = keys("Ed25519");
        String edCert = certificate(ed, "Ed25519");
        assertThatCode(() -> S3Certificates.checkPair(edCert, pem(new JcaPKCS8Generator(ed.getPrivate(), null))))
                .doesNotThrowAnyException();

        // A chain: the server's certificate first, then its issuer's.
        assertThatCode(() -> S3Certificates.checkPair(rsaCert + ecCert, pkcs1)).doesNotThrowAnyException();
        assertRefused(() -> S3Certificates.checkPair(ecCert + rsaCert, pkcs1), "does not belong to the certificate");
        assertRefused(() -> S3Certificates.checkPair(rsaCert, sec1), "does not belong to the certificate");
        assertRefused(() -> S3Certificates.checkPair(ecCert, sec1(keys("EC"))), "does not belong to the certificate");
    }

    @Test
    void encryptedKeysAndTextThatIsNoKeyAreRefusedWithoutQuotingThem() throws Exception {
        KeyPair ec = keys("EC");
        String cert = certificate(ec, "SHA256withECDSA");
        var encryptor = new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC).setRandom(RANDOM)
                // On the builder only: nothing is registered globally, as in the code under test.
                .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider()).setPassword("passphrase".toCharArray()).build();
        String encrypted = pem(new JcaPKCS8Generator(ec.getPrivate(), encryptor));
        assertThat(encrypted).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        assertRefused(() -> S3Certificates.checkPair(cert, encrypted), "cannot ask for a passphrase");
        assertRefused(() -> S3Certificates.checkPair(cert, cert), "privateKeyPem is not an unencrypted PEM private key");
        ApiException e = assertRefused(() -> S3Certificates.checkPair(cert, "SECRET-LOOKING-TEXT"),
                "privateKeyPem is not an unencrypted PEM private key");
        assertThat(e.getMessage()).doesNotContain("SECRET-LOOKING-TEXT");
        assertRefused(() -> S3Certificates.checkPair("", sec1(ec)), "certificatePem is not a PEM X.509 certificate chain");
    }

    @Test
    void aGeneratedCertificateIsSummarisedForTheView() throws Exception {
        S3Tls tls = S3Certificates.selfSigned(List.of("a.example", "b.example"), NOW, RANDOM);
        S3Certificates.Summary s = S3Certificates.summary(tls.certificatePem());
        assertThat(s.dnsNames()).containsExactly("a.example", "*.a.example", "b.example", "*.b.example");
        assertThat(s.notAfter()).isEqualTo(parse(tls.certificatePem()).getNotAfter().toInstant());
        assertThat(S3Certificates.summary("garbage")).isNull();
        assertThat(tls.toString()).doesNotContain(tls.privateKeyPem());
        assertThatThrownBy(() -> S3Certificates.selfSigned(List.of(), NOW, RANDOM))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static ApiException assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String message) {
        return S3ServiceImplClusterTest.assertError(call, 400, message);
    }
}
