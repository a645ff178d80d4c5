package io.keel.s3.payload;

import io.keel.s3.auth.ChunkSigner;
import io.keel.s3.auth.SigV4Crypto;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Test-side aws-chunked encoder, written from the format description (the SDK is the other oracle). */
final class ChunkedEncoder {
    private ChunkedEncoder() {
    }

    static ChunkSigner signer(String seed) {
        byte[] key = SigV4Crypto.signingKey("secret", "20261203", "us-east-1", "s3");
        return new ChunkSigner(key, "20261203T101010Z", "20261203/us-east-1/s3/aws4_request", seed);
    }

    /** {@code signer} null means unsigned chunks; {@code checksum} null means no trailer. */
    static byte[] encode(byte[] data, int chunkSize, ChunkSigner signer, ChecksumAlgorithm checksum, boolean trailer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String prev = signer == null ? null : signer.seedSignature();
        int off = 0;
        while (true) {
            int n = Math.min(chunkSize, data.length - off);
            byte[] chunk = Arrays.copyOfRange(data, off, off + n);
            String line = Integer.toHexString(n);
            if (signer != null) {
                prev = signer.chunkSignature(prev, SigV4Crypto.sha256Hex(chunk));
                line += ";chunk-signature=" + prev;
            }
            ascii(out, line + "\r\n");
            out.writeBytes(chunk);
            if (n == 0) {
                break;
            }
            ascii(out, "\r\n");
            off += n;
        }
        if (trailer) {
            String canonical = checksum == null ? ""
                    : checksum.headerName() + ":" + Checksums.base64(checksum.compute(data)) + "\n";
            if (checksum != null) {
                ascii(out, canonical.replace("\n", "\r\n"));
            }
            if (signer != null) {
                ascii(out, "x-amz-trailer-signature:" + signer.trailerSignature(prev, canonical) + "\r\n");
            }
        }
        ascii(out, "\r\n");
        return out.toByteArray();
    }

    private static void ascii(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }
}
