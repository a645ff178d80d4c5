package io.keel.s3.xml;

import io.keel.s3.error.S3ErrorCode;
import io.keel.s3.error.S3Exception;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Parses the small XML documents S3 requests carry. The body is read up to a limit before any
 * parsing, DOCTYPEs are refused outright (so no external entities and no entity expansion bombs),
 * and every parse failure is {@code MalformedXML}. Element names are matched by local name, since
 * clients differ on whether they send S3's namespace.
 */
public final class SafeXml {
    private SafeXml() {
    }

    /**
     * Reads a request document of at most {@code maxBytes} to the end of the body (so the
     * payload's integrity checks, which fire at end-of-stream, have run before it is trusted).
     */
    public static byte[] read(InputStream body, int maxBytes) throws IOException {
        byte[] bytes = body.readNBytes(maxBytes + 1);
        if (bytes.length > maxBytes) {
            throw new S3Exception(S3ErrorCode.MALFORMED_XML, "The XML you provided was larger than " + maxBytes + " bytes.");
        }
        if (body.read() >= 0) {
            throw new S3Exception(S3ErrorCode.MALFORMED_XML);
        }
        return bytes;
    }

    public static Element parse(byte[] bytes, String root) throws S3Exception {
        if (bytes.length == 0) {
            throw new S3Exception(S3ErrorCode.MALFORMED_XML);
        }
        try {
            DocumentBuilder builder = factory().newDocumentBuilder();
            // The default handler prints to stderr; errors surface as exceptions either way.
            builder.setErrorHandler(new DefaultHandler() {
                @Override
                public void error(org.xml.sax.SAXParseException e) throws SAXException {
                    throw e;
                }
            });
            Document doc = builder.parse(new ByteArrayInputStream(bytes));
            Element e = doc.getDocumentElement();
            if (!root.equals(localName(e))) {
                throw new S3Exception(S3ErrorCode.MALFORMED_XML);
            }
            return e;
        } catch (SAXException | IOException | ParserConfigurationException | RuntimeException e) {
            throw new S3Exception(S3ErrorCode.MALFORMED_XML);
        }
    }

    private static DocumentBuilderFactory factory() throws ParserConfigurationException {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://xml.org/sax/features/external-general-entities", false);
        f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        f.setNamespaceAware(false);
        return f;
    }

    public static String localName(Node n) {
        String name = n.getNodeName();
        int colon = name.indexOf(':');
        return colon < 0 ? name : name.substring(colon + 1);
    }

    public static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(localName(e))) {
                out.add(e);
            }
        }
        return out;
    }

    /** The text of the single child {@code name}; MalformedXML if it repeats. */
    public static Optional<String> text(Element parent, String name) throws S3Exception {
        List<Element> c = children(parent, name);
        if (c.size() > 1) {
            throw new S3Exception(S3ErrorCode.MALFORMED_XML);
        }
        return c.isEmpty() ? Optional.empty() : Optional.of(c.getFirst().getTextContent());
    }

    public static String required(Element parent, String name) throws S3Exception {
        return text(parent, name).orElseThrow(() -> new S3Exception(S3ErrorCode.MALFORMED_XML));
    }

    /**
     * MalformedXML when {@code parent} has a child element not in {@code allowed}: configuration
     * documents are refused, never partly applied, when they ask for something we do not parse.
     */
    public static void onlyChildren(Element parent, java.util.Set<String> allowed) throws S3Exception {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && !allowed.contains(localName(e))) {
                throw new S3Exception(S3ErrorCode.MALFORMED_XML, "Unexpected element <" + localName(e) + "> in <"
                        + localName(parent) + ">.");
            }
        }
    }

    /** Every child element, in document order. */
    public static List<Element> children(Element parent) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                out.add(e);
            }
        }
        return out;
    }
}
