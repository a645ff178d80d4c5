package io.keel.s3.http;

import io.keel.s3.address.S3Address;
import io.keel.s3.auth.QueryParams;
import io.keel.s3.auth.SigV4Request;
import java.io.InputStream;
import java.util.Objects;
import java.util.Optional;

/**
 * A request that passed addressing and signature verification: who sent it ({@code principal},
 * empty when anonymous), what it addresses, its decoded query, its headers, and the body already
 * wrapped so that every declared integrity check fails before end-of-stream.
 */
public record S3Request(String method, S3Address address, QueryParams query, SigV4Request wire,
        Optional<String> principal, InputStream body) {
    public S3Request {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(wire, "wire");
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(body, "body");
    }

    public Optional<String> header(String name) {
        return wire.header(name).map(String::strip);
    }

    public Optional<String> param(String name) {
        return query.first(name);
    }

    public String bucket() {
        return address.bucket().orElseThrow();
    }

    public String key() {
        return address.key().orElseThrow();
    }

    /** The principal of a signed request; handlers run only after authorisation, so it exists. */
    public String user() {
        return principal.orElse("anonymous");
    }
}
