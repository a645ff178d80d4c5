package io.keel.s3.address;

import io.keel.s3.error.S3ErrorCode;
import io.keel.s3.error.S3Exception;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Percent-encoding the way SigV4 and S3 use it. Decoding is strict (a stray {@code %} or invalid
 * UTF-8 is {@code InvalidURI}) because a lenient decoder would let two different wire paths name
 * the same key, or one wire path sign as something the client did not mean. {@code +} is a literal
 * plus: S3 clients encode spaces as {@code %20}.
 */
public final class UriCodec {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private UriCodec() {
    }

    /** Decodes {@code %XX} sequences of a raw path or query component into a UTF-8 string. */
    public static String decode(String raw) throws S3Exception {
        Objects.requireNonNull(raw, "raw");
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        byte[] out = new byte[raw.length() * 3];
        int n = 0;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    throw new S3Exception(S3ErrorCode.INVALID_URI);
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new S3Exception(S3ErrorCode.INVALID_URI);
                }
                out[n++] = (byte) (hi << 4 | lo);
                i += 2;
            } else {
                byte[] enc = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < raw.length()) {
                    enc = raw.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                System.arraycopy(enc, 0, out, n, enc.length);
                n += enc.length;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(out, 0, n)).toString();
        } catch (CharacterCodingException e) {
            throw new S3Exception(S3ErrorCode.INVALID_URI);
        }
    }

    /**
     * SigV4's UriEncode: every byte of the UTF-8 form except the unreserved set
     * {@code A-Z a-z 0-9 - . _ ~} becomes {@code %XX} with upper-case hex; {@code /} is kept when
     * {@code keepSlash} (object key paths) and encoded otherwise (query names and values).
     */
    public static String encode(String text, boolean keepSlash) {
        Objects.requireNonNull(text, "text");
        StringBuilder b = new StringBuilder(text.length() + 16);
        for (byte x : text.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xFF;
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == '/' && keepSlash) {
                b.append((char) c);
            } else {
                b.append('%').append(HEX[c >> 4]).append(HEX[c & 15]);
            }
        }
        return b.toString();
    }
}
