package io.keel.api;

import io.keel.api.dto.CreateS3AccessKeyRequest;
import io.keel.api.dto.CreateS3ClusterRequest;
import io.keel.api.dto.CreateS3UserRequest;
import io.keel.api.dto.UpdateS3ClusterRequest;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The shape checks of the S3 requests: required fields present, protocol one of three, ports in
 * range, a certificate only with its key and not together with a self-signed one. What the values
 * mean (a node exists, a name is a DNS name, the key fits the certificate) is the service's and the
 * metadata's to judge. Messages name fields, never quote a key.
 */
final class S3Requests {
    static final Set<String> PROTOCOLS = Set.of("HTTP", "HTTPS", "BOTH");

    private S3Requests() {}

    static CreateS3ClusterRequest check(CreateS3ClusterRequest r) {
        strings(r.nodes(), "nodes", "at least one node to run a gateway on, two or more so that losing one"
                + " leaves a gateway");
        required(r.policy(), "policy");
        strings(r.endpoints(), "endpoints", "at least one DNS name clients address, such as s3.example.com");
        protocol(r.protocol());
        port(r.httpPort(), "httpPort");
        port(r.httpsPort(), "httpsPort");
        certificate(r.selfSignedCertificate(), r.certificatePem(), r.privateKeyPem());
        return r;
    }

    static UpdateS3ClusterRequest check(UpdateS3ClusterRequest r) {
        if (r.nodes() != null) {
            strings(r.nodes(), "nodes", null);
        }
        if (r.endpoints() != null) {
            strings(r.endpoints(), "endpoints", null);
        }
        protocol(r.protocol());
        // 0 switches nothing off (the protocol does): it is refused like any port out of range.
        port(r.httpPort(), "httpPort");
        port(r.httpsPort(), "httpsPort");
        certificate(r.selfSignedCertificate(), r.certificatePem(), r.privateKeyPem());
        return r;
    }

    static CreateS3UserRequest check(CreateS3UserRequest r) {
        required(r.email(), "email");
        if (r.displayName() != null && r.displayName().isBlank()) {
            throw invalid("displayName is blank: leave it out for the part of the e-mail address before '@'",
                    "displayName");
        }
        return r;
    }

    static CreateS3AccessKeyRequest check(CreateS3AccessKeyRequest r) {
        required(r.user(), "user");
        return r;
    }

    /** HTTP, HTTPS or BOTH in any case, or null; the upper-case form. */
    static String protocol(String protocol) {
        if (protocol == null) {
            return null;
        }
        String p = protocol.strip().toUpperCase(Locale.ROOT);
        if (!PROTOCOLS.contains(p)) {
            throw invalid("protocol must be HTTP, HTTPS or BOTH, not '" + protocol + "'", "protocol");
        }
        return p;
    }

    private static void port(Integer port, String field) {
        if (port != null && (port < 1 || port > 65535)) {
            throw invalid(field + " must be from 1 to 65535, not " + port, field);
        }
    }

    private static void certificate(Boolean selfSigned, String certificate, String key) {
        if (certificate != null && certificate.isBlank()) {
            throw invalid("certificatePem is blank", "certificatePem");
        }
        if (key != null && key.isBlank()) {
            throw invalid("privateKeyPem is blank", "privateKeyPem");
        }
        if (certificate != null && key == null) {
            throw invalid("privateKeyPem is required with certificatePem: the gateways serve HTTPS with both",
                    "privateKeyPem");
        }
        if (key != null && certificate == null) {
            throw invalid("privateKeyPem given without certificatePem", "privateKeyPem");
        }
        if (Boolean.TRUE.equals(selfSigned) && certificate != null) {
            throw invalid("selfSignedCertificate and certificatePem contradict each other: give one of them",
                    "selfSignedCertificate");
        }
    }

    /** {@code hint} null: the field is optional (an update), so only an empty list is refused. */
    private static void strings(List<String> values, String field, String hint) {
        if (hint == null && values.isEmpty()) {
            throw invalid(field + " is empty: leave it out to keep the current " + field, field);
        }
        if (values == null || values.isEmpty()) {
            throw invalid(field + " is required: " + hint, field);
        }
        for (int i = 0; i < values.size(); i++) {
            required(values.get(i), field + "[" + i + "]");
        }
    }

    private static void required(String value, String field) {
        if (value == null || value.isBlank()) {
            throw invalid(field + " is required", field);
        }
    }

    private static ApiException invalid(String message, String field) {
        return new ApiException(400, "invalid", message, Map.of("field", field));
    }
}
