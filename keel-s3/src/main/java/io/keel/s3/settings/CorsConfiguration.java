package io.keel.s3.settings;

import io.keel.s3.error.S3ErrorCode;
import io.keel.s3.error.S3Exception;
import io.keel.s3.xml.SafeXml;
import io.keel.s3.xml.XmlWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.w3c.dom.Element;

/**
 * A bucket's CORS rules (S3's CORSConfiguration): parsed and checked from the request document,
 * rendered back in canonical form for storage and GET, and matched against browser requests.
 */
public record CorsConfiguration(List<Rule> rules) {
    public static final int MAX_RULES = 100;
    public static final int MAX_BYTES = 64 * 1024;
    static final Set<String> METHODS = Set.of("GET", "PUT", "POST", "DELETE", "HEAD");

    public CorsConfiguration {
        rules = List.copyOf(rules);
    }

    /**
     * One CORSRule. Origins and headers may hold one {@code *} wildcard each; headers match without
     * regard to case (HTTP header names are case-insensitive), origins exactly (as S3 does).
     */
    public record Rule(Optional<String> id, List<String> allowedOrigins, List<String> allowedMethods,
            List<String> allowedHeaders, OptionalInt maxAgeSeconds, List<String> exposeHeaders) {
        public Rule {
            Objects.requireNonNull(id, "id");
            allowedOrigins = List.copyOf(allowedOrigins);
            allowedMethods = List.copyOf(allowedMethods);
            allowedHeaders = List.copyOf(allowedHeaders);
            Objects.requireNonNull(maxAgeSeconds, "maxAgeSeconds");
            exposeHeaders = List.copyOf(exposeHeaders);
        }

        /** The origin matched by an exact {@code *} rule is answered with {@code *}, others are echoed. */
        public boolean anyOrigin() {
            return allowedOrigins.contains("*");
        }

        boolean matches(String origin, String method, List<String> requestHeaders) {
            if (!allowedMethods.contains(method) || allowedOrigins.stream().noneMatch(o -> Wildcard.matches(o, origin))) {
                return false;
            }
            for (String h : requestHeaders) {
                String lower = h.toLowerCase(Locale.ROOT);
                if (allowedHeaders.stream().noneMatch(a -> Wildcard.matches(a.toLowerCase(Locale.ROOT), lower))) {
                    return false;
                }
            }
            return true;
        }
    }

    /** The first rule allowing {@code method} from {@code origin} with these request headers. */
    public Optional<Rule> match(String origin, String method, List<String> requestHeaders) {
        return rules.stream().filter(r -> r.matches(origin, method, requestHeaders)).findFirst();
    }

    public static CorsConfiguration parse(byte[] xml) throws S3Exception {
        Element root = SafeXml.parse(xml, "CORSConfiguration");
        SafeXml.onlyChildren(root, Set.of("CORSRule"));
        List<Element> rules = SafeXml.children(root, "CORSRule");
        if (rules.isEmpty()) {
            throw new S3Exception(S3ErrorCode.MALFORMED_XML, "A CORS configuration needs at least one CORSRule.");
        }
        if (rules.size() > MAX_RULES) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "A CORS configuration has at most " + MAX_RULES
                    + " rules.");
        }
        List<Rule> out = new ArrayList<>(rules.size());
        for (Element r : rules) {
            out.add(rule(r));
        }
        return new CorsConfiguration(out);
    }

    private static Rule rule(Element r) throws S3Exception {
        SafeXml.onlyChildren(r, Set.of("ID", "AllowedOrigin", "AllowedMethod", "AllowedHeader", "MaxAgeSeconds",
                "ExposeHeader"));
        Optional<String> id = SafeXml.text(r, "ID").map(String::strip);
        if (id.isPresent() && id.get().length() > 255) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "A CORSRule ID is at most 255 characters.");
        }
        List<String> origins = texts(r, "AllowedOrigin");
        List<String> methods = texts(r, "AllowedMethod");
        if (origins.isEmpty() || methods.isEmpty()) {
            throw new S3Exception(S3ErrorCode.MALFORMED_XML, "Every CORSRule needs AllowedOrigin and AllowedMethod.");
        }
        for (String m : methods) {
            if (!METHODS.contains(m)) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                        "Found unsupported HTTP method in CORS config. Unsupported method is " + m);
            }
        }
        for (String o : origins) {
            wildcardOnce(o, "AllowedOrigin");
        }
        List<String> headers = texts(r, "AllowedHeader");
        for (String h : headers) {
            wildcardOnce(h, "AllowedHeader");
        }
        List<String> expose = texts(r, "ExposeHeader");
        for (String h : expose) {
            if (h.contains("*")) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "ExposeHeader \"" + h + "\" contains wildcard."
                        + " We currently do not support wildcard for ExposeHeader.");
            }
        }
        OptionalInt maxAge = OptionalInt.empty();
        Optional<String> age = SafeXml.text(r, "MaxAgeSeconds").map(String::strip);
        if (age.isPresent()) {
            if (!age.get().matches("[0-9]{1,9}")) {
                throw new S3Exception(S3ErrorCode.MALFORMED_XML, "MaxAgeSeconds must be a non-negative integer.");
            }
            maxAge = OptionalInt.of(Integer.parseInt(age.get()));
        }
        return new Rule(id.filter(s -> !s.isEmpty()), origins, methods, headers, maxAge, expose);
    }

    private static List<String> texts(Element parent, String name) throws S3Exception {
        List<String> out = new ArrayList<>();
        for (Element e : SafeXml.children(parent, name)) {
            String v = e.getTextContent().strip();
            if (v.isEmpty()) {
                throw new S3Exception(S3ErrorCode.MALFORMED_XML, "<" + name + "> cannot be empty.");
            }
            out.add(v);
        }
        return out;
    }

    private static void wildcardOnce(String value, String element) throws S3Exception {
        if (value.indexOf('*') != value.lastIndexOf('*')) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, element + " \"" + value
                    + "\" can not have more than one wildcard.");
        }
    }

    /** The canonical document: what is stored and what GetBucketCors answers. */
    public String render() {
        XmlWriter w = XmlWriter.document("CORSConfiguration");
        for (Rule r : rules) {
            w.start("CORSRule");
            r.id().ifPresent(id -> w.element("ID", id));
            r.allowedOrigins().forEach(o -> w.element("AllowedOrigin", o));
            r.allowedMethods().forEach(m -> w.element("AllowedMethod", m));
            r.allowedHeaders().forEach(h -> w.element("AllowedHeader", h));
            r.maxAgeSeconds().ifPresent(a -> w.element("MaxAgeSeconds", a));
            r.exposeHeaders().forEach(h -> w.element("ExposeHeader", h));
            w.end();
        }
        return new String(w.toBytes(), StandardCharsets.UTF_8);
    }
}
