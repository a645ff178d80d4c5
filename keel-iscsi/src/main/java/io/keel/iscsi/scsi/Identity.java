package io.keel.iscsi.scsi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Names derived from a LUN's backing storage id, so they stay the same across restarts and
 * nodes: multipath software recognises one volume behind several paths by its NAA id.
 *
 * @param naa    an NAA 6 (IEEE registered extended) designator: company id 0x000000 is not
 *               assignable, so we use a locally administered NAA 3 when no OUI is configured
 * @param serial the unit serial number (VPD 0x80), 16 hex digits
 */
public record Identity(byte[] naa, String serial) {
    public Identity {
        Objects.requireNonNull(naa, "naa");
        Objects.requireNonNull(serial, "serial");
    }

    public static Identity of(String uniqueId) {
        byte[] h;
        try {
            h = MessageDigest.getInstance("SHA-256").digest(uniqueId.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK ships SHA-256", e);
        }
        // NAA 3 (locally assigned): 4-bit type then 60 bits of our choosing.
        byte[] naa = new byte[8];
        System.arraycopy(h, 0, naa, 0, 8);
        naa[0] = (byte) (0x30 | (naa[0] & 0x0f));
        return new Identity(naa, HexFormat.of().formatHex(h, 8, 16));
    }
}
