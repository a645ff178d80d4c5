package io.keel.s3.auth;

import io.keel.s3.error.S3ErrorCode;
import io.keel.s3.error.S3Exception;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies AWS Signature Version 4 on an S3 request, from the Authorization header or from a
 * presigned URL's query. A pure function of the request, the key store and the clock: it reads no
 * body (the payload declaration tells the caller how to read and check it).
 */
public final class SigV4Verifier {
    /** AWS refuses requests whose time is further than this from its own clock. */
    public static final Duration DEFAULT_MAX_SKEW = Duration.ofMinutes(15);
    /** The longest X-Amz-Expires AWS accepts: seven days. */
    public static final long MAX_PRESIGN_SECONDS = 604_800;
    public static final String SERVICE = "s3";

    private final SecretLookup secrets;
    private final Clock clock;
    private final Set<String> regions;
    private final Duration maxSkew;

    /**
     * @param regions the regions signatures may be scoped to; empty accepts any, which is what
     *                most S3-compatible stores do because clients default to whatever region
     *                their configuration names
     */
    private static final int MAX_SIGNING_KEYS = 1024;
    private final Map<KeyScope, byte[]> signingKeys = new ConcurrentHashMap<>();

    public SigV4Verifier(SecretLookup secrets, Clock clock, Set<String> regions, Duration maxSkew) {
        this.secrets = Objects.requireNonNull(secrets, "secrets");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.regions = Set.copyOf(regions);
        this.maxSkew = Objects.requireNonNull(maxSkew, "maxSkew");
    }

    public SigV4Verifier(SecretLookup secrets, Clock clock) {
        this(secrets, clock, Set.of(), DEFAULT_MAX_SKEW);
    }

    public Authentication verify(SigV4Request request) throws S3Exception {
        Objects.requireNonNull(request, "request");
        QueryParams query = QueryParams.parse(request.rawQuery());
        Optional<String> authorization = request.header("authorization");
        boolean presigned = query.has("X-Amz-Algorithm") || query.has("X-Amz-Signature") || query.has("X-Amz-Credential");
        if (authorization.isPresent() && presigned) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
                    "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or the Authorization header should be specified");
        }
        if (query.has("Signature") && query.has("AWSAccessKeyId")) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                    "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.");
        }
        if (authorization.isPresent()) {
            return verifyHeader(request, query, AuthorizationHeader.parse(authorization.get()));
        }
        if (presigned) {
            return verifyPresigned(request, query, PresignedQuery.parse(query));
        }
        return new Authentication.Anonymous();
    }

    private Authentication verifyHeader(SigV4Request request, QueryParams query, AuthorizationHeader auth) throws S3Exception {
        String secret = secret(auth.credential());
        Optional<String> amzDateHeader = request.header("x-amz-date");
        Instant signedAt = amzDateHeader.isPresent()
                ? AmzDate.parseBasic(amzDateHeader.get()).orElse(null)
                : request.header("date").flatMap(AmzDate::parseRfc1123).orElse(null);
        if (signedAt == null) {
            throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "AWS authentication requires a valid Date or x-amz-date header");
        }
        String amzDate = AmzDate.formatBasic(signedAt);
        checkScope(auth.credential(), amzDate, S3ErrorCode.AUTHORIZATION_HEADER_MALFORMED);
        checkSkew(signedAt);
        checkSignedHeaders(request, auth.signedHeaders(), S3ErrorCode.AUTHORIZATION_HEADER_MALFORMED);
        String declared = request.header("x-amz-content-sha256").orElseThrow(() -> new S3Exception(
                S3ErrorCode.INVALID_REQUEST, "Missing required header for this request: x-amz-content-sha256"));
        PayloadMode payload = PayloadMode.parse(declared.strip());
        return check(auth.credential(), secret, amzDate, auth.signedHeaders(), request,
                r -> CanonicalRequest.build(r, query, null, auth.signedHeaders(), declared.strip()), auth.signature(),
                signedAt, Authentication.Location.HEADER, payload);
    }

    private Authentication verifyPresigned(SigV4Request request, QueryParams query, PresignedQuery p) throws S3Exception {
        String secret = secret(p.credential());
        String amzDate = p.amzDate();
        checkScope(p.credential(), amzDate, S3ErrorCode.AUTHORIZATION_QUERY_PARAMETERS_ERROR);
        Instant now = clock.instant();
        if (p.signedAt().isAfter(now.plus(maxSkew))) {
            throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "Request is not valid yet");
        }
        if (now.isAfter(p.signedAt().plusSeconds(p.expiresSeconds()))) {
            throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "Request has expired");
        }
        checkSignedHeaders(request, p.signedHeaders(), S3ErrorCode.AUTHORIZATION_QUERY_PARAMETERS_ERROR);
        // A presigned URL's body is unsigned unless the signer bound a hash into the URL or a signed header.
        String declared = request.header("x-amz-content-sha256")
                .or(() -> query.first("X-Amz-Content-Sha256"))
                .map(String::strip)
                .orElse(PayloadMode.UNSIGNED);
        PayloadMode payload = PayloadMode.parse(declared);
        return check(p.credential(), secret, amzDate, p.signedHeaders(), request,
                r -> CanonicalRequest.build(r, query, "X-Amz-Signature", p.signedHeaders(), declared), p.signature(),
                p.signedAt(), Authentication.Location.QUERY, payload);
    }

    /** Builds the canonical request of one form of the request; the checked exception is the parser's. */
    @FunctionalInterface
    private interface Canonical {
        String of(SigV4Request request) throws S3Exception;
    }

    private Authentication check(CredentialScope scope, String secret, String amzDate, List<String> signedHeaders,
            SigV4Request request, Canonical canonical, String provided, Instant signedAt,
            Authentication.Location location, PayloadMode payload) throws S3Exception {
        byte[] key = signingKey(secret, scope);
        List<SigV4Request> forms = new ArrayList<>(List.of(request));
        Optional<String> type = request.header("content-type");
        if (type.isPresent() && signedHeaders.contains("content-type")) {
            ContentTypeForms.alternatives(type.get()).forEach(t -> forms.add(request.withHeader("content-type", t)));
        }
        for (SigV4Request form : forms) {
            String expected = SigV4Crypto.sign(key, CanonicalRequest.stringToSign(amzDate, scope.scope(),
                    canonical.of(form)));
            if (SigV4Crypto.signaturesEqual(expected, provided)) {
                return new Authentication.Signed(scope.accessKeyId(), location, signedAt, scope, payload,
                        new ChunkSigner(key, amzDate, scope.scope(), expected));
            }
        }
        throw new S3Exception(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
    }

    /**
     * The derived key changes once a day per secret and scope, and deriving it costs four of the
     * five HMACs of a request; a changed secret is part of the lookup, so it never meets an old key.
     */
    private byte[] signingKey(String secret, CredentialScope scope) {
        KeyScope k = new KeyScope(secret, scope.date(), scope.region(), scope.service());
        byte[] known = signingKeys.get(k);
        if (known != null) {
            return known;
        }
        byte[] key = SigV4Crypto.signingKey(secret, scope.date(), scope.region(), scope.service());
        if (signingKeys.size() >= MAX_SIGNING_KEYS) {
            signingKeys.clear();
        }
        signingKeys.put(k, key);
        return key;
    }

    private record KeyScope(String secret, String date, String region, String service) {
        @Override
        public String toString() {
            return "KeyScope[" + date + "/" + region + "/" + service + "]"; // never the secret
        }
    }

    private String secret(CredentialScope scope) throws S3Exception {
        return secrets.secretFor(scope.accessKeyId())
                .orElseThrow(() -> new S3Exception(S3ErrorCode.INVALID_ACCESS_KEY_ID));
    }

    private void checkScope(CredentialScope scope, String amzDate, S3ErrorCode code) throws S3Exception {
        if (!amzDate.startsWith(scope.date()) || scope.date().length() != 8) {
            throw new S3Exception(code, "Invalid credential date \"" + scope.date() + "\". This date is not the same as X-Amz-Date: \""
                    + amzDate.substring(0, 8) + "\".");
        }
        if (!regions.isEmpty() && !regions.contains(scope.region())) {
            throw new S3Exception(code, "The authorization header is malformed; the region '" + scope.region()
                    + "' is wrong; expecting '" + regions.stream().sorted().findFirst().orElseThrow() + "'");
        }
        if (!scope.service().equals(SERVICE)) {
            throw new S3Exception(code, "Credential should be scoped to correct service: 's3'.");
        }
        if (!scope.terminator().equals(SigV4Crypto.TERMINATOR)) {
            throw new S3Exception(code, "Credential should be scoped with a valid terminator: 'aws4_request', not '"
                    + scope.terminator() + "'.");
        }
    }

    private void checkSkew(Instant signedAt) throws S3Exception {
        Duration skew = Duration.between(signedAt, clock.instant()).abs();
        if (skew.compareTo(maxSkew) > 0) {
            throw new S3Exception(S3ErrorCode.REQUEST_TIME_TOO_SKEWED);
        }
    }

    /**
     * {@code host} must be signed (else the signature could be replayed against another
     * endpoint), and so must every {@code x-amz-*} header present: those change what the request
     * does (metadata, ACLs, copy sources), so an unsigned one could be added by anyone in between.
     */
    private static void checkSignedHeaders(SigV4Request request, List<String> signed, S3ErrorCode code) throws S3Exception {
        if (!signed.contains("host")) {
            throw new S3Exception(code, "SignedHeaders must include 'host'.");
        }
        for (String name : request.headers().keySet()) {
            if (name.startsWith("x-amz-") && !signed.contains(name)) {
                throw new S3Exception(S3ErrorCode.ACCESS_DENIED,
                        "There were headers present in the request which were not signed: " + name);
            }
        }
    }
}
