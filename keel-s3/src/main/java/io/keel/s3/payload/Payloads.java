package io.keel.s3.payload;

import io.keel.s3.auth.Authentication;
import io.keel.s3.auth.PayloadMode;
import io.keel.s3.auth.SigV4Request;
import io.keel.s3.error.S3ErrorCode;
import io.keel.s3.error.S3Exception;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.util.Objects;
import java.util.Optional;

/**
 * Chooses how a request body is read from what its (already verified) headers declare, and wraps
 * it so that everything declared is checked by the time the stream ends.
 */
public final class Payloads {
    private static final int BUFFER = 64 * 1024;

    private Payloads() {
    }

    public static InputStream open(Authentication auth, SigV4Request request, InputStream body) throws S3Exception {
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(body, "body");
        PayloadMode mode = switch (auth) {
            case Authentication.Signed s -> s.payload();
            case Authentication.Anonymous a -> anonymousMode(request);
        };
        Optional<byte[]> md5 = request.header("content-md5").isPresent()
                ? Optional.of(Checksums.parseContentMd5(request.header("content-md5").get()))
                : Optional.empty();
        Optional<Checksums.Expected> checksum = Checksums.fromHeaders(request.headers());
        long contentLength = length(request, "content-length", -1);
        return switch (mode) {
            case PayloadMode.Unsigned u -> new VerifyingInputStream(body, contentLength, Optional.empty(), md5, checksum);
            case PayloadMode.Sha256 s -> new VerifyingInputStream(body, contentLength, Optional.of(s.hex()), md5, checksum);
            case PayloadMode.Streaming s -> {
                long decoded = length(request, "x-amz-decoded-content-length", -2);
                if (decoded == -2) {
                    throw new S3Exception(S3ErrorCode.MISSING_CONTENT_LENGTH,
                            "You must provide the x-amz-decoded-content-length header with aws-chunked uploads.");
                }
                Optional<ChecksumAlgorithm> trailerChecksum = trailerChecksum(request, s.trailer());
                if (s.signedChunks() && !(auth instanceof Authentication.Signed)) {
                    throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "Signed chunks need a signed request.");
                }
                var signer = auth instanceof Authentication.Signed signed && s.signedChunks() ? signed.chunkSigner() : null;
                InputStream chunked = new AwsChunkedInputStream(new BufferedInputStream(body, BUFFER), signer,
                        s.trailer(), trailerChecksum, decoded);
                yield new VerifyingInputStream(chunked, decoded, Optional.empty(), md5, checksum);
            }
        };
    }

    private static PayloadMode anonymousMode(SigV4Request request) throws S3Exception {
        Optional<String> declared = request.header("x-amz-content-sha256");
        if (declared.isEmpty()) {
            return new PayloadMode.Unsigned();
        }
        // Nothing is signed, but a declared hash or trailer checksum is still worth checking.
        return PayloadMode.parse(declared.get().strip());
    }

    private static Optional<ChecksumAlgorithm> trailerChecksum(SigV4Request request, boolean trailer) throws S3Exception {
        Optional<String> declared = request.header("x-amz-trailer").map(String::strip);
        if (declared.isEmpty()) {
            return Optional.empty();
        }
        if (!trailer) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                    "x-amz-trailer needs x-amz-content-sha256 to declare a trailer.");
        }
        return Optional.of(ChecksumAlgorithm.forHeader(declared.get()).orElseThrow(() -> new S3Exception(
                S3ErrorCode.INVALID_ARGUMENT, "The value specified in the x-amz-trailer header is not supported")));
    }

    private static long length(SigV4Request request, String header, long absent) throws S3Exception {
        Optional<String> v = request.header(header).map(String::strip);
        if (v.isEmpty()) {
            return absent;
        }
        String s = v.get();
        if (s.isEmpty() || s.length() > 18 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "The " + header + " header is not a valid length.");
        }
        return Long.parseLong(s);
    }
}
