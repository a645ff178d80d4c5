package io.keel.s3.error;

import java.util.Objects;

/** Renders the standard S3 error document. */
public final class ErrorXml {
    private ErrorXml() {
    }

    /** The body of an error response; {@code resource} may be empty (the endpoint root). */
    public static String render(S3ErrorCode code, String message, String resource, String requestId, String hostId) {
        Objects.requireNonNull(code, "code");
        StringBuilder b = new StringBuilder(256);
        b.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>");
        element(b, "Code", code.code());
        element(b, "Message", message == null ? code.defaultMessage() : message);
        element(b, "Resource", resource == null ? "" : resource);
        element(b, "RequestId", Objects.requireNonNull(requestId, "requestId"));
        element(b, "HostId", Objects.requireNonNull(hostId, "hostId"));
        return b.append("</Error>").toString();
    }

    public static String render(S3Exception e, String resource, String requestId, String hostId) {
        return render(e.code(), e.getMessage(), resource, requestId, hostId);
    }

    private static void element(StringBuilder b, String name, String text) {
        b.append('<').append(name).append('>');
        escape(b, text);
        b.append("</").append(name).append('>');
    }

    /**
     * XML 1.0 text escaping. Characters XML 1.0 cannot carry at all (most C0 controls, lone
     * surrogates, U+FFFE/U+FFFF) become U+FFFD: a key echoed back in {@code Resource} may contain
     * anything, and a client's XML parser must still accept the error document.
     */
    public static void escape(StringBuilder b, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&apos;");
                case '\r' -> b.append("&#13;");
                case '\t', '\n' -> b.append(c);
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                        b.append(c).append(text.charAt(++i));
                    } else if (c < 0x20 || Character.isSurrogate(c) || c == '\uFFFE' || c == '\uFFFF') {
                        b.append('\uFFFD');
                    } else {
                        b.append(c);
                    }
                }
            }
        }
    }

    public static String escape(String text) {
        StringBuilder b = new StringBuilder(text.length() + 16);
        escape(b, text);
        return b.toString();
    }
}
