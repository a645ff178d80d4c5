package io.keel.s3.settings;

import io.keel.s3.error.S3ErrorCode;
import io.keel.s3.error.S3Exception;
import io.keel.s3.xml.SafeXml;
import io.keel.s3.xml.XmlWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.w3c.dom.Element;

/**
 * A bucket's lifecycle rules, the expiration subset: expire current versions after N days,
 * noncurrent versions N days after they became noncurrent, and abort multipart uploads N days
 * after they started. Transitions, dates, tag and size filters are refused (NotImplemented): a
 * rule we would not apply must not look accepted.
 */
public record LifecycleConfiguration(List<Rule> rules) {
    public static final int MAX_RULES = 1000;
    public static final int MAX_BYTES = 64 * 1024;

    public LifecycleConfiguration {
        rules = List.copyOf(rules);
    }

    /**
     * One rule; absent actions are empty. {@code prefix} "" applies to the whole bucket. Current
     * versions expire either {@code expirationDays} after they were written or, with
     * {@code expirationDate} (a midnight UTC), all at once from that day on.
     */
    public record Rule(String id, boolean enabled, String prefix, OptionalInt expirationDays,
            OptionalInt noncurrentDays, OptionalInt abortIncompleteDays, Optional<Instant> expirationDate) {
        public Rule {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(prefix, "prefix");
            Objects.requireNonNull(expirationDays, "expirationDays");
            Objects.requireNonNull(noncurrentDays, "noncurrentDays");
            Objects.requireNonNull(abortIncompleteDays, "abortIncompleteDays");
            Objects.requireNonNull(expirationDate, "expirationDate");
            if (expirationDays.isPresent() && expirationDate.isPresent()) {
                throw new IllegalArgumentException("an expiration has Days or a Date, not both");
            }
        }

        /** A rule whose current versions expire by age only. */
        public Rule(String id, boolean enabled, String prefix, OptionalInt expirationDays, OptionalInt noncurrentDays,
                OptionalInt abortIncompleteDays) {
            this(id, enabled, prefix, expirationDays, noncurrentDays, abortIncompleteDays, Optional.empty());
        }

        /** Whether the rule expires current versions, by age or by date. */
        public boolean expiresCurrent() {
            return expirationDays.isPresent() || expirationDate.isPresent();
        }
    }

    /**
     * When something that started at {@code start} is due after {@code days}: S3 adds the days and
     * rounds up to the next midnight UTC, so every object of a day expires together.
     */
    public static Instant due(Instant start, int days) {
        Instant t = start.plus(Duration.ofDays(days));
        Instant midnight = t.truncatedTo(ChronoUnit.DAYS);
        return midnight.equals(t) ? t : midnight.plus(Duration.ofDays(1));
    }

    public static LifecycleConfiguration parse(byte[] xml) throws S3Exception {
        Element root = SafeXml.parse(xml, "LifecycleConfiguration");
        SafeXml.onlyChildren(root, Set.of("Rule"));
        List<Element> rules = SafeXml.children(root, "Rule");
        if (rules.isEmpty()) {
            throw new S3Exception(S3ErrorCode.MALFORMED_XML, "A lifecycle configuration needs at least one Rule.");
        }
        if (rules.size() > MAX_RULES) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "A lifecycle configuration has at most " + MAX_RULES
                    + " rules.");
        }
        List<Rule> out = new ArrayList<>(rules.size());
        Set<String> ids = new HashSet<>();
        for (Element r : rules) {
            Rule rule = rule(r, out.size() + 1);
            if (!ids.add(rule.id())) {
                throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Rule ID must be unique. Found same ID for more"
                        + " than one rule: " + rule.id());
            }
            out.add(rule);
        }
        return new LifecycleConfiguration(out);
    }

    private static Rule rule(Element r, int index) throws S3Exception {
        for (String unsupported : List.of("Transition", "NoncurrentVersionTransition")) {
            if (!SafeXml.children(r, unsupported).isEmpty()) {
                throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "Lifecycle " + unsupported
                        + "s are not implemented: there is one storage class.");
            }
        }
        SafeXml.onlyChildren(r, Set.of("ID", "Status", "Filter", "Prefix", "Expiration",
                "NoncurrentVersionExpiration", "AbortIncompleteMultipartUpload"));
        String id = SafeXml.text(r, "ID").map(String::strip).orElse("");
        if (id.length() > 255) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "ID length should not exceed allowed limit of 255");
        }
        if (id.isEmpty()) {
            id = "rule-" + index; // S3 generates an id when none is given; ours is stable across renders
        }
        boolean enabled = switch (SafeXml.text(r, "Status").map(String::strip).orElse("")) {
            case "Enabled" -> true;
            case "Disabled" -> false;
            default -> throw new S3Exception(S3ErrorCode.MALFORMED_XML, "Rule Status must be Enabled or Disabled.");
        };
        String prefix = prefix(r);
        OptionalInt expiration = OptionalInt.empty();
        Optional<Instant> expirationDate = Optional.empty();
        Optional<Element> exp = single(r, "Expiration");
        if (exp.isPresent()) {
            if (!SafeXml.children(exp.get(), "ExpiredObjectDeleteMarker").isEmpty()) {
                throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "ExpiredObjectDeleteMarker is not implemented.");
            }
            SafeXml.onlyChildren(exp.get(), Set.of("Days", "Date"));
            boolean hasDays = !SafeXml.children(exp.get(), "Days").isEmpty();
            boolean hasDate = !SafeXml.children(exp.get(), "Date").isEmpty();
            if (hasDays == hasDate) {
                throw new S3Exception(S3ErrorCode.MALFORMED_XML, "Expiration takes either Days or a Date.");
            }
            if (hasDays) {
                expiration = OptionalInt.of(days(exp.get(), "Days"));
            } else {
                expirationDate = Optional.of(date(exp.get()));
            }
        }
        OptionalInt noncurrent = OptionalInt.empty();
        Optional<Element> nc = single(r, "NoncurrentVersionExpiration");
        if (nc.isPresent()) {
            if (!SafeXml.children(nc.get(), "NewerNoncurrentVersions").isEmpty()) {
                throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "NewerNoncurrentVersions is not implemented.");
            }
            SafeXml.onlyChildren(nc.get(), Set.of("NoncurrentDays"));
            noncurrent = OptionalInt.of(days(nc.get(), "NoncurrentDays"));
        }
        OptionalInt abort = OptionalInt.empty();
        Optional<Element> ab = single(r, "AbortIncompleteMultipartUpload");
        if (ab.isPresent()) {
            SafeXml.onlyChildren(ab.get(), Set.of("DaysAfterInitiation"));
            abort = OptionalInt.of(days(ab.get(), "DaysAfterInitiation"));
        }
        if (expiration.isEmpty() && expirationDate.isEmpty() && noncurrent.isEmpty() && abort.isEmpty()) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "At least one action needs to be specified in a rule");
        }
        return new Rule(id, enabled, prefix, expiration, noncurrent, abort, expirationDate);
    }

    /** An ISO 8601 date or date-time at midnight UTC, as S3 requires of an expiration Date. */
    private static Instant date(Element exp) throws S3Exception {
        String text = SafeXml.text(exp, "Date").map(String::strip).orElse("");
        Instant t;
        try {
            t = text.length() == 10 ? java.time.LocalDate.parse(text).atStartOfDay(java.time.ZoneOffset.UTC).toInstant()
                    : java.time.OffsetDateTime.parse(text).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Expiration Date '" + text
                    + "' is not an ISO 8601 date (e.g. 2027-01-01T00:00:00Z).");
        }
        if (!t.truncatedTo(ChronoUnit.DAYS).equals(t)) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "'Date' must be at midnight GMT");
        }
        return t;
    }

    /** Filter with a Prefix, an empty Filter, or the older top-level Prefix; not both. */
    private static String prefix(Element r) throws S3Exception {
        Optional<Element> filter = single(r, "Filter");
        Optional<String> legacy = SafeXml.text(r, "Prefix");
        if (filter.isPresent() && legacy.isPresent()) {
            throw new S3Exception(S3ErrorCode.MALFORMED_XML, "A rule has either Filter or Prefix, not both.");
        }
        if (filter.isEmpty()) {
            return legacy.orElse("");
        }
        for (String unsupported : List.of("Tag", "And", "ObjectSizeGreaterThan", "ObjectSizeLessThan")) {
            if (!SafeXml.children(filter.get(), unsupported).isEmpty()) {
                throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "Lifecycle filters on " + unsupported
                        + " are not implemented; filter by Prefix.");
            }
        }
        SafeXml.onlyChildren(filter.get(), Set.of("Prefix"));
        return SafeXml.text(filter.get(), "Prefix").orElse("");
    }

    private static Optional<Element> single(Element parent, String name) throws S3Exception {
        List<Element> c = SafeXml.children(parent, name);
        if (c.size() > 1) {
            throw new S3Exception(S3ErrorCode.MALFORMED_XML, "<" + name + "> may appear once per rule.");
        }
        return c.isEmpty() ? Optional.empty() : Optional.of(c.getFirst());
    }

    private static int days(Element parent, String name) throws S3Exception {
        String v = SafeXml.text(parent, name).map(String::strip)
                .orElseThrow(() -> new S3Exception(S3ErrorCode.MALFORMED_XML, "<" + name + "> is required."));
        if (!v.matches("[0-9]{1,6}") || Integer.parseInt(v) < 1) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "'" + name + "' for a lifecycle rule must be a"
                    + " positive integer (at most 999999), not \"" + v + "\"");
        }
        return Integer.parseInt(v);
    }

    /** The canonical document: what is stored and what GetBucketLifecycleConfiguration answers. */
    public String render() {
        XmlWriter w = XmlWriter.document("LifecycleConfiguration");
        for (Rule r : rules) {
            w.start("Rule").element("ID", r.id());
            w.start("Filter").element("Prefix", r.prefix()).end();
            w.element("Status", r.enabled() ? "Enabled" : "Disabled");
            r.expirationDays().ifPresent(d -> w.start("Expiration").element("Days", d).end());
            r.expirationDate().ifPresent(d -> w.start("Expiration")
                    .element("Date", java.time.format.DateTimeFormatter.ISO_INSTANT.format(d)).end());
            r.noncurrentDays().ifPresent(d -> w.start("NoncurrentVersionExpiration").element("NoncurrentDays", d).end());
            r.abortIncompleteDays().ifPresent(d -> w.start("AbortIncompleteMultipartUpload")
                    .element("DaysAfterInitiation", d).end());
            w.end();
        }
        return new String(w.toBytes(), StandardCharsets.UTF_8);
    }
}
