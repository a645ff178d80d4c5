package io.keel.s3.payload;

/** A checksum computed over a body as it streams past. */
public interface RunningChecksum {
    void update(byte[] b, int off, int len);

    /** The checksum in S3's byte order (big-endian for the CRCs), as it is base64-encoded on the wire. */
    byte[] finish();
}
