package io.keel.node.service;

import io.keel.api.ApiException;
import io.keel.meta.cluster.S3Tls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The S3 endpoint's certificate (ADR 0044): a self-signed one generated on request, and the
 * checks of one the administrator brings. Keys come from the JDK's providers; BouncyCastle only
 * builds the certificate and reads PEM keys, so no provider is registered globally (as the node's
 * own {@code SelfSignedCertificate}).
 */
final class S3Certificates {
    /**
     * 825 days: Apple's clients refuse TLS server certificates valid for longer, self-signed ones
     * included, and S3 clients on macOS and iOS are common. Renewal is one
     * {@code keel s3 cluster update --self-signed}.
     */
    static final Duration VALIDITY = Duration.ofDays(825);
    // Backdated so that a client whose clock is a little behind does not see "not yet valid".
    private static final Duration BACKDATE = Duration.ofHours(1);

    /** What the view tells about a stored certificate. */
    record Summary(List<String> dnsNames, Instant notAfter) {
        Summary {
            dnsNames = List.copyOf(dnsNames);
            Objects.requireNonNull(notAfter, "notAfter");
        }
    }

    private S3Certificates() {}

    /** The names a certificate for {@code endpoints} covers: each, and {@code *.<each>} for virtual-hosted style. */
    static List<String> subjectNames(List<String> endpoints) {
        List<String> names = new ArrayList<>();
        for (String e : endpoints) {
            names.add(e);
            names.add("*." + e);
        }
        return List.copyOf(names);
    }

    /**
     * An EC P-256 key and a certificate for {@code endpoints} and their wildcards, valid from
     * {@code now} (less an hour) for {@link #VALIDITY}. A leaf (CA=false): TLS clients refuse a CA
     * certificate presented as a server certificate; they pin this one as their trust anchor.
     */
    static S3Tls selfSigned(List<String> endpoints, Instant now, SecureRandom random) {
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(random, "random");
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("a certificate needs at least one endpoint name");
        }
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair keys = generator.generateKeyPair();
            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, endpoints.getFirst())
                    .addRDN(BCStyle.O, "Keel S3").build();
            // Positive 127-bit serial: unique without bookkeeping, within RFC 5280's 20 octets.
            var builder = new JcaX509v3CertificateBuilder(subject, new BigInteger(127, random),
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(VALIDITY)), subject, keys.getPublic());
            List<GeneralName> names = subjectNames(endpoints).stream()
                    .map(n -> new GeneralName(GeneralName.dNSName, n)).toList();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()))
                    .addExtension(Extension.subjectAlternativeName, false,
                            new GeneralNames(names.toArray(GeneralName[]::new)));
            var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate());
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(builder.build(signer));
            return new S3Tls(pem("CERTIFICATE", cert.getEncoded()), pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            // The JDK always has EC P-256 and SHA-256: failing here is a broken runtime, not a request.
            throw new IllegalStateException("cannot generate the S3 certificate", e);
        }
    }

    /**
     * Refuses (400) a certificate chain the JDK cannot parse, a private key that is not an
     * unencrypted PEM key, or a key that does not belong to the first certificate: the gateways
     * would fail at every handshake. Messages never quote the key.
     */
    static void checkPair(String certificatePem, String privateKeyPem) {
        X509Certificate leaf = chain(certificatePem).getFirst();
        PrivateKey key = privateKey(privateKeyPem);
        if (!matches(leaf, key)) {
            throw ApiException.invalid("the private key does not belong to the certificate (the first one in the"
                    + " chain must be the server's own)");
        }
    }

    /** The leaf's DNS names and expiry; null when the stored text is not a certificate. */
    static Summary summary(String certificatePem) {
        try {
            X509Certificate leaf = chain(certificatePem).getFirst();
            return new Summary(dnsNames(leaf), leaf.getNotAfter().toInstant());
        } catch (ApiException e) {
            return null;
        }
    }

    static List<String> dnsNames(X509Certificate cert) {
        try {
            var sans = cert.getSubjectAlternativeNames();
            if (sans == null) {
                return List.of();
            }
            List<String> out = new ArrayList<>();
            for (List<?> san : sans) {
                if (san.size() == 2 && Integer.valueOf(GeneralName.dNSName).equals(san.get(0))) {
                    out.add(String.valueOf(san.get(1)));
                }
            }
            return List.copyOf(out);
        } catch (CertificateParsingException e) {
            return List.of();
        }
    }

    static List<X509Certificate> chain(String certificatePem) {
        try {
            List<X509Certificate> certs = new ArrayList<>();
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(
                    new ByteArrayInputStream(certificatePem.getBytes(StandardCharsets.US_ASCII)))) {
                certs.add((X509Certificate) c);
            }
            if (certs.isEmpty()) {
                throw new CertificateException("no certificate");
            }
            return certs;
        } catch (CertificateException | RuntimeException e) {
            throw ApiException.invalid("certificatePem is not a PEM X.509 certificate chain"
                    + " (-----BEGIN CERTIFICATE----- ...)");
        }
    }

    private static PrivateKey privateKey(String privateKeyPem) {
        Object parsed;
        try (PEMParser parser = new PEMParser(new StringReader(privateKeyPem))) {
            parsed = parser.readObject();
        } catch (IOException | RuntimeException e) {
            parsed = null;
        }
        PrivateKeyInfo info = switch (parsed) {
            case PrivateKeyInfo i -> i;
            case PEMKeyPair pair -> pair.getPrivateKeyInfo();
            case null, default -> throw ApiException.invalid("privateKeyPem is not an unencrypted PEM private key"
                    + " (PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY): the gateways cannot ask for a passphrase");
        };
        // The JDK's own key factories, by the key's algorithm OID: BouncyCastle's converter does not
        // know the JDK's names for every algorithm (EdDSA), and no provider is to be registered.
        String algorithm = switch (info.getPrivateKeyAlgorithm().getAlgorithm().getId()) {
            case "1.2.840.113549.1.1.1" -> "RSA";
            case "1.2.840.10045.2.1" -> "EC";
            case "1.3.101.112" -> "Ed25519";
            case "1.3.101.113" -> "Ed448";
            default -> throw ApiException.invalid("the private key's algorithm is not supported: use RSA, EC or Ed25519");
        };
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
        } catch (GeneralSecurityException | IOException e) {
            throw ApiException.invalid("privateKeyPem holds a " + algorithm + " key this node cannot read");
        }
    }

    /** Signs a random challenge with the key and verifies it with the certificate: any key type, one way. */
    private static boolean matches(X509Certificate cert, PrivateKey key) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
            default -> throw ApiException.invalid("the private key's algorithm " + key.getAlgorithm()
                    + " is not supported: use RSA, EC or Ed25519");
        };
        byte[] challenge = new byte[32];
        new SecureRandom().nextBytes(challenge);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(cert.getPublicKey());
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // e.g. an EC key against an RSA certificate
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
