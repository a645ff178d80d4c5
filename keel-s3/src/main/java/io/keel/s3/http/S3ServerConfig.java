package io.keel.s3.http;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * Where and how a gateway listens. {@code endpointNames} are the DNS names of the S3 endpoint
 * ({@code <bucket>.<name>} is virtual-hosted-style); {@code region} is what buckets report and
 * what signatures must be scoped to; {@code tls} present means the port speaks HTTPS only.
 */
public record S3ServerConfig(String bindHost, int port, List<String> endpointNames, String region, String nodeTag,
        Optional<SSLContext> tls, Clock clock) {
    public S3ServerConfig {
        Objects.requireNonNull(bindHost, "bindHost");
        endpointNames = List.copyOf(endpointNames);
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(nodeTag, "nodeTag");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(clock, "clock");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    public S3ServerConfig withTls(SSLContext context) {
        return new S3ServerConfig(bindHost, port, endpointNames, region, nodeTag, Optional.of(context), clock);
    }
}
