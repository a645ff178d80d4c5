package io.keel.s3;

import io.keel.s3.auth.SigV4Request;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.checksums.spi.ChecksumAlgorithm;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * The AWS SDK for Java v2's own SigV4 signer, used as the oracle: what it signs is by definition
 * what a real client sends. Test code only.
 */
public final class SdkSigner {
    public static final String ACCESS_KEY = "AKIAKEELTEST0000001";
    public static final String SECRET = "keelSecret/Test+Key0000000000000000000000";
    public static final String REGION = "us-east-1";

    /** A signed request: what our verifier sees, and the (possibly aws-chunked) body bytes. */
    public record Signed(SigV4Request request, byte[] body) {
    }

    /** How the SDK should sign. */
    public record Options(Instant time, boolean payloadSigning, boolean chunked, ChecksumAlgorithm checksum,
            Duration presignFor, String secret) {
        public static Options header(Instant time) {
            return new Options(time, true, false, null, null, SECRET);
        }

        public Options withPayloadSigning(boolean on) {
            return new Options(time, on, chunked, checksum, presignFor, secret);
        }

        public Options chunked(ChecksumAlgorithm algorithm) {
            return new Options(time, payloadSigning, true, algorithm, presignFor, secret);
        }

        public Options presigned(Duration d) {
            return new Options(time, payloadSigning, chunked, checksum, d, secret);
        }

        public Options withSecret(String s) {
            return new Options(time, payloadSigning, chunked, checksum, presignFor, s);
        }
    }

    private SdkSigner() {
    }

    /**
     * @param uri     full URI with the path already percent-encoded as a client would send it
     *                ({@code https} lets the SDK leave the payload unsigned)
     * @param headers extra headers to send (and sign)
     */
    public static Signed sign(String method, String uri, Map<String, String> headers, byte[] body, Options o) {
        SdkHttpRequest.Builder b = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(URI.create(uri));
        headers.forEach(b::putHeader);
        SdkHttpRequest req = b.build();
        AwsV4HttpSigner signer = AwsV4HttpSigner.create();
        Consumer<SignRequest.Builder<AwsCredentialsIdentity>> c = r -> {
            r.identity(AwsCredentialsIdentity.create(ACCESS_KEY, o.secret())).request(req)
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, REGION)
                    .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, Clock.fixed(o.time(), ZoneOffset.UTC))
                    .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                    .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                    .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, o.payloadSigning())
                    .putProperty(AwsV4HttpSigner.CHUNK_ENCODING_ENABLED, o.chunked());
            if (body != null) {
                r.payload(ContentStreamProvider.fromByteArray(body));
            }
            if (o.checksum() != null) {
                r.putProperty(AwsV4HttpSigner.CHECKSUM_ALGORITHM, o.checksum());
            }
            if (o.presignFor() != null) {
                r.putProperty(AwsV4HttpSigner.AUTH_LOCATION, AwsV4HttpSigner.AuthLocation.QUERY_STRING)
                        .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, o.presignFor());
            }
        };
        SignedRequest signed = signer.sign(c);
        SdkHttpRequest out = signed.request();
        Map<String, List<String>> h = new LinkedHashMap<>(out.headers());
        byte[] sent;
        try {
            sent = signed.payload().isPresent() ? signed.payload().get().newStream().readAllBytes() : new byte[0];
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        String rawQuery = out.getUri().getRawQuery();
        return new Signed(new SigV4Request(out.method().name(), out.encodedPath(), rawQuery, h), sent);
    }

    /** The same request with one header replaced (or added). */
    public static SigV4Request withHeader(SigV4Request r, String name, String value) {
        Map<String, List<String>> h = new LinkedHashMap<>(r.headers());
        h.put(name.toLowerCase(java.util.Locale.ROOT), List.of(value));
        return new SigV4Request(r.method(), r.rawPath(), r.rawQuery(), h);
    }
}
