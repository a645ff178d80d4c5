package io.keel.api;

import java.nio.file.Path;
import java.util.Objects;

/**
 * HTTPS on the API port: a PKCS12 keystore holding one key entry with its certificate chain (for
 * example made by {@link io.keel.api.tls.SelfSignedCertificate}).
 */
public record TlsConfig(Path keystorePath, String keystorePassword) {
    public TlsConfig {
        Objects.requireNonNull(keystorePath, "keystorePath");
        Objects.requireNonNull(keystorePassword, "keystorePassword");
    }

    @Override
    public String toString() {
        return "TlsConfig[keystorePath=" + keystorePath + ", keystorePassword=redacted]";
    }
}
