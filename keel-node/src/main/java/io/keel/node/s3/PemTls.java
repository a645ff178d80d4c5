package io.keel.node.s3;

import io.keel.meta.cluster.S3Tls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * The S3 endpoint's TLS context from the PEM certificate chain and key stored in the metadata.
 * The key may be PKCS#8 or the older OpenSSL forms administrators often have; BouncyCastle reads
 * them all without being registered as a provider.
 */
final class PemTls {
    private PemTls() {}

    static SSLContext context(S3Tls tls) throws GeneralSecurityException, IOException {
        Objects.requireNonNull(tls, "tls");
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        Certificate[] chain = factory.generateCertificates(
                new ByteArrayInputStream(tls.certificatePem().getBytes(StandardCharsets.US_ASCII))).toArray(Certificate[]::new);
        if (chain.length == 0) {
            throw new GeneralSecurityException("the S3 certificate PEM holds no certificate");
        }
        char[] password = new char[0];
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("s3", privateKey(tls.privateKeyPem()), password, chain);
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, new SecureRandom());
        return context;
    }

    private static PrivateKey privateKey(String pem) throws IOException, GeneralSecurityException {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object read = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            return switch (read) {
                case PEMKeyPair pair -> converter.getPrivateKey(pair.getPrivateKeyInfo());
                case PrivateKeyInfo info -> converter.getPrivateKey(info);
                case null -> throw new GeneralSecurityException("the S3 private key PEM holds no key");
                // Never the object itself: it may print key material.
                default -> throw new GeneralSecurityException("the S3 private key PEM holds a "
                        + read.getClass().getSimpleName() + ", not an unencrypted private key");
            };
        }
    }
}
