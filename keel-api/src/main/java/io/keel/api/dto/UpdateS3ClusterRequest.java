package io.keel.api.dto;

import java.util.List;

/**
 * Changes the S3 cluster; a field left out keeps what is set. {@code selfSignedCertificate: true}
 * generates a new certificate for the (new) endpoints; a certificate with its key replaces the
 * stored one. A port left out while the protocol starts using its listener takes the default.
 */
public record UpdateS3ClusterRequest(List<String> nodes, List<String> endpoints, String protocol, Integer httpPort,
        Integer httpsPort, Boolean selfSignedCertificate, String certificatePem, String privateKeyPem) {
    @Override
    public String toString() {
        return "UpdateS3ClusterRequest[nodes=" + nodes + ", endpoints=" + endpoints + ", protocol=" + protocol
                + ", httpPort=" + httpPort + ", httpsPort=" + httpsPort + ", selfSignedCertificate="
                + selfSignedCertificate + ", certificatePem="
                + (certificatePem == null ? "null" : certificatePem.length() + " chars") + ", privateKeyPem="
                + (privateKeyPem == null ? "null" : "***") + "]";
    }
}
