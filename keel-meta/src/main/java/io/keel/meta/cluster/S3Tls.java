package io.keel.meta.cluster;

import java.util.Objects;

/**
 * The S3 endpoint's certificate chain and private key, both PEM. Every gateway needs the key
 * itself to terminate TLS, so it is stored as given (ADR 0039 on at-rest protection); it lives
 * under a key of its own and never prints.
 */
public record S3Tls(String certificatePem, String privateKeyPem) {
    public S3Tls {
        Objects.requireNonNull(certificatePem, "certificatePem");
        Objects.requireNonNull(privateKeyPem, "privateKeyPem");
    }

    @Override
    public String toString() {
        return "S3Tls[certificatePem=" + certificatePem.length() + " chars, privateKeyPem=***]";
    }
}
