package io.keel.s3.xml;

import io.keel.s3.error.ErrorXml;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;

/** Builds S3 response documents: declaration, S3's namespace on the root, escaped text. */
public final class XmlWriter {
    public static final String NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";

    private final StringBuilder b = new StringBuilder(512);
    private final Deque<String> open = new ArrayDeque<>();

    private XmlWriter(String root) {
        b.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<").append(root).append(" xmlns=\"").append(NAMESPACE)
                .append("\">");
        open.push(root);
    }

    public static XmlWriter document(String root) {
        return new XmlWriter(root);
    }

    public XmlWriter start(String name) {
        b.append('<').append(name).append('>');
        open.push(name);
        return this;
    }

    public XmlWriter end() {
        b.append("</").append(open.pop()).append('>');
        return this;
    }

    public XmlWriter element(String name, String text) {
        b.append('<').append(name).append('>');
        ErrorXml.escape(b, text);
        b.append("</").append(name).append('>');
        return this;
    }

    /** Text directly inside the current element. */
    public XmlWriter text(String text) {
        ErrorXml.escape(b, text);
        return this;
    }

    public XmlWriter element(String name, long value) {
        return element(name, Long.toString(value));
    }

    public XmlWriter element(String name, boolean value) {
        return element(name, Boolean.toString(value));
    }

    /** S3's timestamp form in XML: ISO-8601 with milliseconds, UTC. */
    public XmlWriter element(String name, Instant value) {
        return element(name, iso(value));
    }

    public static String iso(Instant t) {
        return t.truncatedTo(ChronoUnit.MILLIS).toString().replaceFirst("(\\d{2}:\\d{2}:\\d{2})Z$", "$1.000Z");
    }

    public byte[] toBytes() {
        while (!open.isEmpty()) {
            end();
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }
}
