package io.keel.s3.payload;

import io.keel.s3.auth.ChunkSigner;
import io.keel.s3.auth.SigV4Crypto;
import io.keel.s3.error.S3ErrorCode;
import io.keel.s3.error.S3Exception;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Decodes an {@code aws-chunked} body ({@code <hex size>[;chunk-signature=<sig>]\r\n<data>\r\n}
 * ..., a zero-size chunk, optional trailing headers, an empty line) into the object's bytes.
 *
 * <p>Data is handed on as it arrives, so memory stays bounded by the caller's buffer, not the chunk
 * size. Each chunk's signature is checked when its closing CRLF has been read, the trailer's
 * signature and checksum after the final chunk, the decoded length at the end. Every failure is an
 * {@link S3Exception} raised before {@code read} returns -1: a caller that commits an object only on
 * end-of-stream never commits unverified data. After a failure the stream keeps failing the same way.
 *
 * <p>The input must be the request body alone (bounded by Content-Length or HTTP chunking): bytes
 * after the final empty line are an error.
 */
public final class AwsChunkedInputStream extends InputStream {
    /** Longest chunk-header or trailer line; a real one is under 100 bytes plus a 64-digit signature. */
    public static final int MAX_LINE = 4096;
    /** Most trailing header lines accepted (a checksum and a signature are what clients send). */
    public static final int MAX_TRAILER_LINES = 8;
    private static final String SIGNATURE_EXT = "chunk-signature=";
    private static final String TRAILER_SIGNATURE = "x-amz-trailer-signature";

    private enum State { HEADER, DATA, TRAILER, DONE, FAILED }

    private final InputStream in;
    private final ChunkSigner signer;
    private final boolean trailer;
    private final ChecksumAlgorithm trailerChecksum;
    private final long decodedLength;
    private final MessageDigest chunkDigest;
    private final RunningChecksum checksum;

    private State state = State.HEADER;
    private long chunkRemaining;
    private String chunkSignature;
    private String previousSignature;
    private long total;
    private S3Exception failure;

    /**
     * @param signer          continues the request's signature chain, or null for
     *                        STREAMING-UNSIGNED-PAYLOAD-TRAILER (no chunk signatures)
     * @param trailer         whether trailing headers follow the last chunk
     * @param trailerChecksum the checksum x-amz-trailer announced, or empty
     * @param decodedLength   x-amz-decoded-content-length, which the data must match exactly
     */
    public AwsChunkedInputStream(InputStream in, ChunkSigner signer, boolean trailer,
            Optional<ChecksumAlgorithm> trailerChecksum, long decodedLength) {
        this.in = Objects.requireNonNull(in, "in");
        this.signer = signer;
        this.trailer = trailer;
        this.trailerChecksum = Objects.requireNonNull(trailerChecksum, "trailerChecksum").orElse(null);
        if (this.trailerChecksum != null && !trailer) {
            throw new IllegalArgumentException("a trailing checksum needs a trailer");
        }
        if (decodedLength < 0) {
            throw new IllegalArgumentException("decodedLength " + decodedLength);
        }
        this.decodedLength = decodedLength;
        this.chunkDigest = signer == null ? null : SigV4Crypto.sha256();
        this.checksum = this.trailerChecksum == null ? null : this.trailerChecksum.start();
        this.previousSignature = signer == null ? null : signer.seedSignature();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (failure != null) {
            throw failure;
        }
        try {
            return step(b, off, len);
        } catch (S3Exception e) {
            failure = e;
            state = State.FAILED;
            throw e;
        }
    }

    private int step(byte[] b, int off, int len) throws IOException {
        while (true) {
            switch (state) {
                case HEADER -> readChunkHeader();
                case DATA -> {
                    if (len == 0) {
                        return 0;
                    }
                    int n = in.read(b, off, (int) Math.min(len, chunkRemaining));
                    if (n < 0) {
                        throw incomplete();
                    }
                    chunkRemaining -= n;
                    total += n;
                    if (chunkDigest != null) {
                        chunkDigest.update(b, off, n);
                    }
                    if (checksum != null) {
                        checksum.update(b, off, n);
                    }
                    if (chunkRemaining == 0) {
                        endChunk();
                    }
                    return n;
                }
                case TRAILER -> readTrailer();
                case DONE -> {
                    return -1;
                }
                case FAILED -> throw failure;
            }
        }
    }

    private void readChunkHeader() throws IOException {
        String line = readLine();
        int semi = line.indexOf(';');
        String hex = semi < 0 ? line : line.substring(0, semi);
        long size = parseSize(hex);
        chunkSignature = null;
        if (signer != null) {
            if (semi < 0 || !line.startsWith(SIGNATURE_EXT, semi + 1)) {
                throw malformed("chunk header without chunk-signature");
            }
            chunkSignature = line.substring(semi + 1 + SIGNATURE_EXT.length());
            if (!SigV4Crypto.isSha256Hex(chunkSignature)) {
                throw malformed("chunk-signature is not 64 hex digits");
            }
        }
        if (size > decodedLength - total) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
                    "The chunked body carries more data than x-amz-decoded-content-length announced");
        }
        if (size == 0) {
            verifyChunkSignature();
            if (total != decodedLength) {
                throw incomplete();
            }
            if (trailer) {
                state = State.TRAILER;
            } else {
                expectEmptyLine();
                finish();
            }
            return;
        }
        chunkRemaining = size;
        state = State.DATA;
    }

    private void endChunk() throws IOException {
        int cr = in.read();
        int lf = in.read();
        if (cr < 0 || lf < 0) {
            throw incomplete();
        }
        if (cr != '\r' || lf != '\n') {
            throw malformed("chunk data not followed by CRLF");
        }
        verifyChunkSignature();
        state = State.HEADER;
    }

    private void verifyChunkSignature() throws S3Exception {
        if (signer == null) {
            return;
        }
        String expected = signer.chunkSignature(previousSignature, HexFormat.of().formatHex(chunkDigest.digest()));
        if (!SigV4Crypto.signaturesEqual(expected, chunkSignature)) {
            throw new S3Exception(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH, "The chunk signature does not match.");
        }
        previousSignature = expected;
    }

    private void readTrailer() throws IOException {
        List<String[]> headers = new ArrayList<>();
        String signature = null;
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            if (headers.size() + (signature == null ? 0 : 1) >= MAX_TRAILER_LINES) {
                throw malformed("too many trailing headers");
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw malformed("trailing header without a name");
            }
            String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            if (signature != null) {
                throw malformed("trailing header after x-amz-trailer-signature");
            }
            if (name.equals(TRAILER_SIGNATURE)) {
                signature = value;
            } else {
                headers.add(new String[] {name, value});
            }
        }
        if (signer != null) {
            if (signature == null) {
                throw new S3Exception(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH, "The trailer signature is missing.");
            }
            StringBuilder canonical = new StringBuilder();
            for (String[] h : headers) {
                canonical.append(h[0]).append(':').append(h[1]).append('\n');
            }
            String expected = signer.trailerSignature(previousSignature, canonical.toString());
            if (!SigV4Crypto.signaturesEqual(expected, signature)) {
                throw new S3Exception(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH, "The trailer signature does not match.");
            }
        }
        verifyTrailerChecksum(headers);
        finish();
    }

    private void verifyTrailerChecksum(List<String[]> headers) throws S3Exception {
        Checksums.Expected expected = null;
        for (String[] h : headers) {
            if (trailerChecksum == null || !h[0].equals(trailerChecksum.headerName()) || expected != null) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                        "The trailing header " + h[0] + " was not announced in x-amz-trailer.");
            }
            expected = Checksums.parseChecksum(trailerChecksum, h[1]);
        }
        if (trailerChecksum == null) {
            return;
        }
        if (expected == null) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                    "x-amz-trailer announced " + trailerChecksum.headerName() + " but the trailer did not carry it.");
        }
        if (!expected.matches(checksum.finish())) {
            throw Checksums.mismatch(trailerChecksum);
        }
    }

    private void finish() throws IOException {
        if (in.read() >= 0) {
            throw malformed("data after the end of the chunked body");
        }
        state = State.DONE;
    }

    private void expectEmptyLine() throws IOException {
        if (!readLine().isEmpty()) {
            throw malformed("final chunk not followed by an empty line");
        }
    }

    private static long parseSize(String hex) throws S3Exception {
        if (hex.isEmpty() || hex.length() > 15) {
            throw malformed("bad chunk size");
        }
        long size = 0;
        for (int i = 0; i < hex.length(); i++) {
            int d = Character.digit(hex.charAt(i), 16);
            if (d < 0) {
                throw malformed("bad chunk size");
            }
            size = size << 4 | d;
        }
        return size;
    }

    /** Reads one CRLF-terminated ASCII line, at most {@link #MAX_LINE} bytes; a bare LF is malformed. */
    private String readLine() throws IOException {
        byte[] buf = new byte[128];
        int n = 0;
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw incomplete();
            }
            if (c == '\n') {
                if (n == 0 || buf[n - 1] != '\r') {
                    throw malformed("line not terminated by CRLF");
                }
                return new String(buf, 0, n - 1, StandardCharsets.ISO_8859_1);
            }
            if (n == MAX_LINE) {
                throw malformed("line too long");
            }
            if (n == buf.length) {
                buf = Arrays.copyOf(buf, Math.min(buf.length * 2, MAX_LINE));
            }
            buf[n++] = (byte) c;
        }
    }

    private static S3Exception malformed(String why) {
        return new S3Exception(S3ErrorCode.INVALID_REQUEST, "Malformed aws-chunked body: " + why);
    }

    private static S3Exception incomplete() {
        return new S3Exception(S3ErrorCode.INCOMPLETE_BODY,
                "You did not provide the number of bytes specified by the x-amz-decoded-content-length HTTP header.");
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
