package io.keel.iscsi.login;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The key=value text format of login and text PDUs (RFC 7143 section 6.1): pairs separated by
 * NUL, UTF-8, keys of at most 63 characters from a small alphabet, values of at most 255 bytes
 * except for the CHAP and SendTargets answers, and no key twice in one exchange.
 */
public final class TextKeys {
    private TextKeys() {}

    /** One pair, in the order it arrived. */
    public record Pair(String key, String value) {
        public Pair {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }
    }

    public static final int MAX_KEY = 63;
    public static final int MAX_VALUE = 255;
    /** CHAP challenges and responses are binary; 1024 bytes hex-encoded is what RFC 7143 allows. */
    public static final int MAX_LARGE_VALUE = 2 + 2 * 1024;
    /** An exchange (all PDUs of one login or text request) is refused past this many bytes. */
    public static final int MAX_TEXT = 64 * 1024;

    /** A malformed text segment; the reason is logged and the login or text request fails. */
    public static final class TextException extends Exception {
        private static final long serialVersionUID = 1L;

        public TextException(String reason) {
            super(reason);
        }
    }

    public static List<Pair> parse(byte[] text) throws TextException {
        Objects.requireNonNull(text, "text");
        if (text.length > MAX_TEXT) {
            throw new TextException("text of " + text.length + " bytes exceeds " + MAX_TEXT);
        }
        List<Pair> pairs = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int start = 0;
        while (start < text.length) {
            int end = start;
            while (end < text.length && text[end] != 0) {
                end++;
            }
            if (end == text.length) {
                throw new TextException("key=value pair not terminated by NUL");
            }
            if (end == start) {
                // Some initiators pad with extra NULs; an empty pair carries nothing.
                start = end + 1;
                continue;
            }
            int eq = -1;
            for (int i = start; i < end; i++) {
                if (text[i] == '=') {
                    eq = i;
                    break;
                }
            }
            if (eq < 0) {
                throw new TextException("pair without '='");
            }
            String key = new String(text, start, eq - start, StandardCharsets.UTF_8);
            checkKey(key);
            int valueLength = end - eq - 1;
            if (valueLength > (largeValue(key) ? MAX_LARGE_VALUE : MAX_VALUE)) {
                throw new TextException("value of " + key + " is " + valueLength + " bytes long");
            }
            String value = new String(text, eq + 1, valueLength, StandardCharsets.UTF_8);
            if (!seen.add(key)) {
                throw new TextException("key " + key + " sent twice");
            }
            pairs.add(new Pair(key, value));
            start = end + 1;
        }
        return List.copyOf(pairs);
    }

    public static byte[] encode(List<Pair> pairs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Pair p : pairs) {
            out.writeBytes((p.key() + "=" + p.value()).getBytes(StandardCharsets.UTF_8));
            out.write(0);
        }
        return out.toByteArray();
    }

    private static boolean largeValue(String key) {
        return key.equals("CHAP_C") || key.equals("CHAP_R");
    }

    private static void checkKey(String key) throws TextException {
        if (key.isEmpty() || key.length() > MAX_KEY) {
            throw new TextException("key length " + key.length() + " outside 1.." + MAX_KEY);
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '-' || c == '+' || c == '@' || c == '_' || c == '#';
            if (!ok) {
                throw new TextException("key contains character 0x" + Integer.toHexString(c));
            }
        }
    }
}
