package io.keel.api.dto;

import java.time.Instant;
import java.util.List;

/**
 * The S3 cluster. Never the private key; the certificate PEM is shown so that clients can be told
 * to trust it (a self-signed one must be). {@code certificateNames}: the DNS names the certificate
 * covers; {@code certificateNotAfter}: when it expires. The certificate fields are null without HTTPS.
 */
public record S3ClusterView(List<S3NodeView> nodes, String policy, List<String> endpoints, String protocol,
        int httpPort, int httpsPort, boolean selfSignedCertificate, String certificatePem,
        List<String> certificateNames, Instant certificateNotAfter, List<String> indexShards, Instant createdAt) {}
