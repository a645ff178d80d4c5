package io.keel.api.dto;

import java.util.List;

/**
 * The S3 cluster (ADR 0044): gateways on {@code nodes}, object data under {@code policy}, clients
 * addressing {@code endpoints}. {@code protocol} HTTP, HTTPS or BOTH (default HTTPS); a port left
 * out takes its default (HTTP 7480, HTTPS 7443) when the protocol uses it. HTTPS needs either
 * {@code selfSignedCertificate: true} or {@code certificatePem} with {@code privateKeyPem}.
 */
public record CreateS3ClusterRequest(List<String> nodes, String policy, List<String> endpoints, String protocol,
        Integer httpPort, Integer httpsPort, Boolean selfSignedCertificate, String certificatePem,
        String privateKeyPem) {
    // The request passes through services that may log it; the private key must not go with it.
    @Override
    public String toString() {
        return "CreateS3ClusterRequest[nodes=" + nodes + ", policy=" + policy + ", endpoints=" + endpoints
                + ", protocol=" + protocol + ", httpPort=" + httpPort + ", httpsPort=" + httpsPort
                + ", selfSignedCertificate=" + selfSignedCertificate + ", certificatePem="
                + (certificatePem == null ? "null" : certificatePem.length() + " chars") + ", privateKeyPem="
                + (privateKeyPem == null ? "null" : "***") + "]";
    }
}
