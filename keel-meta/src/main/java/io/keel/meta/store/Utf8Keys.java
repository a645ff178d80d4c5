package io.keel.meta.store;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.Objects;

/**
 * Keys as the store orders them: by their UTF-8 bytes, unsigned, which is RocksDB's default
 * (bytewise) comparator. {@link String#compareTo} compares UTF-16 code units and disagrees for
 * supplementary characters (a surrogate, 0xD800..0xDFFF, sorts below U+E000..U+FFFF in UTF-16, while
 * the 4-byte UTF-8 form sorts above them), so code that orders keys in Java must use {@link #ORDER}.
 */
public final class Utf8Keys {
    /** UTF-8 byte order; for well-formed strings it equals code point order, computed without encoding. */
    public static final Comparator<String> ORDER = Utf8Keys::compare;

    private Utf8Keys() {
    }

    public static int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    /**
     * The UTF-8 bytes of {@code key}.
     *
     * @throws IllegalArgumentException if the key holds an unpaired surrogate: {@link String#getBytes}
     *     would silently turn it into '?', so two different keys would name one entry
     */
    public static byte[] encode(String key) {
        Objects.requireNonNull(key, "key");
        try {
            ByteBuffer buf = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(key));
            byte[] out = new byte[buf.remaining()];
            buf.get(out);
            return out;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("key is not valid Unicode (unpaired surrogate): " + e, e);
        }
    }

    /**
     * The key whose UTF-8 bytes these are.
     *
     * @throws IllegalArgumentException if the bytes are not well-formed UTF-8
     */
    public static String decode(byte[] utf8, int offset, int length) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8, offset, length))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("key bytes are not valid UTF-8: " + e, e);
        }
    }
}
