package io.keel.api.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
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
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The node's own HTTPS certificate when the operator brings none: an EC P-256 key and a
 * ten-year self-signed certificate for the given host names and addresses, in a PKCS12 keystore.
 *
 * <p>Keys come from the JDK's providers; BouncyCastle only builds the certificate, so no provider is
 * registered globally. The certificate is a leaf (CA=false) because browsers refuse a CA
 * certificate presented as a server certificate; clients pin it as their trust anchor.
 */
public final class SelfSignedCertificate {
    /** Alias of the key entry in the keystore. */
    public static final String ALIAS = "keel";
    private static final Duration VALIDITY = Duration.ofDays(3650);
    // Backdated so that a client whose clock is a little behind does not see "not yet valid".
    private static final Duration BACKDATE = Duration.ofHours(1);

    private SelfSignedCertificate() {}

    /**
     * Loads the keystore at {@code keystoreFile} if it exists, otherwise creates it (readable by
     * the owner only where the file system allows). Returns the certificate it holds.
     *
     * @param subjectAltNames DNS names and IP address literals, e.g. "localhost", "127.0.0.1",
     *     "::1"; the first one is also the subject's common name
     */
    public static X509Certificate create(Path keystoreFile, char[] password, List<String> subjectAltNames)
            throws IOException, GeneralSecurityException {
        Objects.requireNonNull(keystoreFile, "keystoreFile");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(subjectAltNames, "subjectAltNames");
        if (Files.exists(keystoreFile)) {
            return load(keystoreFile, password);
        }
        if (subjectAltNames.isEmpty()) {
            throw new IllegalArgumentException("at least one subject alternative name is required");
        }
        SecureRandom random = new SecureRandom();
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), random);
        KeyPair keyPair = generator.generateKeyPair();
        X509Certificate certificate = sign(keyPair, subjectAltNames, random);

        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(ALIAS, keyPair.getPrivate(), password, new Certificate[] {certificate});
        write(keystoreFile, store, password);
        return certificate;
    }

    /** The certificate of the {@link #ALIAS} entry (or the first key entry) of a PKCS12 keystore. */
    public static X509Certificate load(Path keystoreFile, char[] password) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystoreFile)) {
            store.load(in, password);
        }
        String alias = store.isKeyEntry(ALIAS) ? ALIAS : null;
        for (var aliases = store.aliases(); alias == null && aliases.hasMoreElements(); ) {
            String candidate = aliases.nextElement();
            if (store.isKeyEntry(candidate)) {
                alias = candidate;
            }
        }
        if (alias == null || !(store.getCertificate(alias) instanceof X509Certificate certificate)) {
            throw new GeneralSecurityException("keystore " + keystoreFile + " holds no key with an X.509 certificate");
        }
        return certificate;
    }

    private static X509Certificate sign(KeyPair keyPair, List<String> names, SecureRandom random)
            throws GeneralSecurityException, CertIOException {
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.CN, names.getFirst())
                .addRDN(BCStyle.O, "Keel")
                .build();
        Instant now = Instant.now();
        // Positive 127-bit serial: unique without bookkeeping, within RFC 5280's 20 octets.
        BigInteger serial = new BigInteger(127, random);
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial,
                Date.from(now.minus(BACKDATE)), Date.from(now.plus(VALIDITY)), subject, keyPair.getPublic());
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                .addExtension(Extension.subjectKeyIdentifier, false,
                        extensions.createSubjectKeyIdentifier(keyPair.getPublic()))
                .addExtension(Extension.subjectAlternativeName, false, generalNames(names));
        try {
            var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate());
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign certificate", e);
        }
    }

    private static GeneralNames generalNames(List<String> names) {
        List<GeneralName> result = new ArrayList<>();
        for (String name : names) {
            Objects.requireNonNull(name, "subject alternative name");
            result.add(isIpLiteral(name)
                    ? new GeneralName(GeneralName.iPAddress, name)
                    : new GeneralName(GeneralName.dNSName, name));
        }
        return new GeneralNames(result.toArray(GeneralName[]::new));
    }

    // Only literals: InetAddress.ofLiteral never resolves, so a DNS name cannot be mistaken for an IP.
    private static boolean isIpLiteral(String name) {
        try {
            InetAddress.ofLiteral(name);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static void write(Path target, KeyStore store, char[] password) throws IOException, GeneralSecurityException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, target.getFileName().toString(), ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // Not a POSIX file system: keep the platform default.
            }
            try (OutputStream out = Files.newOutputStream(tmp)) {
                store.store(out, password);
            }
            // Write-then-rename so that a crash never leaves a truncated keystore that would be "reused".
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
