package io.keel.s3.settings;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keel.s3.error.S3ErrorCode;
import io.keel.s3.error.S3Exception;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A bucket policy, the subset this gateway enforces: statements that Allow or Deny listed
 * actions ({@link PolicyAction}) to everyone or to named S3 users on the bucket and on keys by
 * exact name or prefix ({@code arn:aws:s3:::bucket/photos/*}). Anything else a policy can say
 * (Condition, NotAction, NotPrincipal, NotResource, other principal types, mid-string wildcards)
 * is refused with MalformedPolicy and the reason: ignoring a Condition would grant more than
 * its author meant.
 */
public record BucketPolicy(String version, Optional<String> id, List<Statement> statements) {
    public static final int MAX_BYTES = 20 * 1024;
    static final Set<String> VERSIONS = Set.of("2012-10-17", "2008-10-17");
    private static final String ARN = "arn:aws:s3:::";
    private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    public enum Effect { ALLOW, DENY }

    /** Everyone (anonymous included), or these S3 user ids. */
    public record Principals(boolean everyone, Set<String> users) {
        public Principals {
            users = Set.copyOf(users);
        }

        boolean includes(Optional<String> principal) {
            return everyone || principal.isPresent() && users.contains(principal.get());
        }
    }

    /** The bucket itself (no key pattern), or keys equal to {@code keyPattern} / starting before its {@code *}. */
    public record Resource(Optional<String> keyPattern) {
        public Resource {
            Objects.requireNonNull(keyPattern, "keyPattern");
        }

        boolean matches(Optional<String> key) {
            if (keyPattern.isEmpty() || key.isEmpty()) {
                return keyPattern.isEmpty() && key.isEmpty();
            }
            String p = keyPattern.get();
            return p.endsWith("*") ? key.get().startsWith(p.substring(0, p.length() - 1)) : key.get().equals(p);
        }
    }

    public record Statement(Optional<String> sid, Effect effect, Principals principals, Set<PolicyAction> actions,
            boolean allActions, List<Resource> resources) {
        public Statement {
            Objects.requireNonNull(sid, "sid");
            Objects.requireNonNull(effect, "effect");
            Objects.requireNonNull(principals, "principals");
            actions = actions.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(actions));
            resources = List.copyOf(resources);
        }

        boolean applies(Optional<String> principal, PolicyAction action, Optional<String> key) {
            return principals.includes(principal) && (allActions || actions.contains(action))
                    && resources.stream().anyMatch(r -> r.matches(key));
        }
    }

    public BucketPolicy {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(id, "id");
        statements = List.copyOf(statements);
    }

    /** What the policy says about one request: an explicit Deny wins over any Allow. */
    public enum Decision { DENY, ALLOW, NONE }

    public Decision decide(Optional<String> principal, PolicyAction action, Optional<String> key) {
        boolean allowed = false;
        for (Statement s : statements) {
            if (s.applies(principal, action, key)) {
                if (s.effect() == Effect.DENY) {
                    return Decision.DENY;
                }
                allowed = true;
            }
        }
        return allowed ? Decision.ALLOW : Decision.NONE;
    }

    /** Whether some Allow statement could grant {@code principal} one of {@code actions} on some key. */
    public boolean mayAllow(Optional<String> principal, Set<PolicyAction> actions) {
        return statements.stream().anyMatch(s -> s.effect() == Effect.ALLOW && s.principals().includes(principal)
                && (s.allActions() || actions.stream().anyMatch(s.actions()::contains)));
    }

    public static BucketPolicy parse(byte[] json, String bucket) throws S3Exception {
        if (json.length > MAX_BYTES) {
            throw malformed("Policies are at most " + MAX_BYTES + " bytes");
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new S3Exception(S3ErrorCode.MALFORMED_POLICY, "Policies must be valid JSON: "
                    + firstLine(e.getMessage()));
        }
        if (!(root instanceof ObjectNode top)) {
            throw malformed("Policies must be valid JSON and the first byte must be '{'");
        }
        fields(top, Set.of("Version", "Id", "Statement"), "policy");
        String version = top.has("Version") ? string(top.get("Version"), "Version") : "2012-10-17";
        if (!VERSIONS.contains(version)) {
            throw malformed("The policy must contain a valid version string (2012-10-17)");
        }
        Optional<String> id = top.has("Id") ? Optional.of(string(top.get("Id"), "Id")) : Optional.empty();
        List<JsonNode> raw = list(top.get("Statement"));
        if (raw.isEmpty()) {
            throw malformed("Missing required field Statement");
        }
        List<Statement> statements = new ArrayList<>(raw.size());
        Set<String> sids = new HashSet<>();
        for (JsonNode n : raw) {
            Statement s = statement(n, bucket);
            if (s.sid().isPresent() && !sids.add(s.sid().get())) {
                throw malformed("Statement IDs (SID) in a single policy must be unique: " + s.sid().get());
            }
            statements.add(s);
        }
        return new BucketPolicy(version, id, statements);
    }

    private static Statement statement(JsonNode n, String bucket) throws S3Exception {
        if (!(n instanceof ObjectNode o)) {
            throw malformed("Each Statement must be a JSON object");
        }
        for (String unsupported : List.of("Condition", "NotAction", "NotPrincipal", "NotResource")) {
            if (o.has(unsupported)) {
                throw malformed(unsupported + " is not supported: statements may use Sid, Effect, Principal, Action"
                        + " and Resource");
            }
        }
        fields(o, Set.of("Sid", "Effect", "Principal", "Action", "Resource"), "Statement");
        Optional<String> sid = o.has("Sid") ? Optional.of(string(o.get("Sid"), "Sid")) : Optional.empty();
        Effect effect = switch (o.has("Effect") ? string(o.get("Effect"), "Effect") : "") {
            case "Allow" -> Effect.ALLOW;
            case "Deny" -> Effect.DENY;
            default -> throw malformed("Effect must be Allow or Deny");
        };
        if (!o.has("Principal")) {
            throw malformed("Missing required field Principal");
        }
        Principals principals = principals(o.get("Principal"));
        Set<PolicyAction> actions = EnumSet.noneOf(PolicyAction.class);
        boolean all = false;
        for (JsonNode a : list(o.get("Action"))) {
            String name = string(a, "Action");
            if (name.equals(PolicyAction.ALL)) {
                all = true;
                continue;
            }
            actions.add(PolicyAction.byPolicyName(name).orElseThrow(() -> malformed("Policy has an unsupported"
                    + " action: " + name + " (supported: s3:* and " + supportedActions() + ")")));
        }
        if (!all && actions.isEmpty()) {
            throw malformed("Missing required field Action");
        }
        List<Resource> resources = new ArrayList<>();
        for (JsonNode r : list(o.get("Resource"))) {
            resources.add(resource(string(r, "Resource"), bucket));
        }
        if (resources.isEmpty()) {
            throw malformed("Missing required field Resource");
        }
        boolean bucketResource = resources.stream().anyMatch(r -> r.keyPattern().isEmpty());
        boolean objectResource = resources.stream().anyMatch(r -> r.keyPattern().isPresent());
        for (PolicyAction a : actions) {
            if (a.objectLevel() ? !objectResource : !bucketResource) {
                throw malformed("Action does not apply to any resource(s) in statement: " + a.policyName() + " needs "
                        + (a.objectLevel() ? "an object resource (" + ARN + bucket + "/...)" : "the bucket resource ("
                        + ARN + bucket + ")"));
            }
        }
        return new Statement(sid, effect, principals, actions, all, resources);
    }

    private static Principals principals(JsonNode p) throws S3Exception {
        if (p.isTextual()) {
            if (!p.asText().equals("*")) {
                throw malformed("Invalid principal in policy: a Principal string must be \"*\"; name users as"
                        + " {\"AWS\": [\"<user id>\"]}");
            }
            return new Principals(true, Set.of());
        }
        if (!(p instanceof ObjectNode o) || o.size() != 1 || !o.has("AWS")) {
            throw malformed("Invalid principal in policy: only \"*\" and {\"AWS\": ...} with S3 user ids are supported");
        }
        Set<String> users = new LinkedHashSet<>();
        boolean everyone = false;
        for (JsonNode u : list(o.get("AWS"))) {
            String id = string(u, "Principal");
            if (id.equals("*")) {
                everyone = true;
            } else if (id.isEmpty() || id.length() > 128 || id.chars().anyMatch(c -> c <= ' ' || c == '*' || c == '?')) {
                throw malformed("Invalid principal in policy: \"" + id + "\" is not an S3 user id");
            } else {
                users.add(id);
            }
        }
        if (!everyone && users.isEmpty()) {
            throw malformed("Invalid principal in policy: no principal given");
        }
        return new Principals(everyone, everyone ? Set.of() : users);
    }

    private static Resource resource(String arn, String bucket) throws S3Exception {
        if (!arn.startsWith(ARN)) {
            throw malformed("Policy has invalid resource: " + arn + " (resources are " + ARN + bucket + " and "
                    + ARN + bucket + "/<key or prefix*>)");
        }
        String rest = arn.substring(ARN.length());
        int slash = rest.indexOf('/');
        String name = slash < 0 ? rest : rest.substring(0, slash);
        if (!name.equals(bucket)) {
            throw malformed("Policy has invalid resource: " + arn + " is not in bucket " + bucket);
        }
        if (slash < 0) {
            return new Resource(Optional.empty());
        }
        String key = rest.substring(slash + 1);
        int star = key.indexOf('*');
        if (key.indexOf('?') >= 0 || star >= 0 && star != key.length() - 1) {
            throw malformed("Policy has invalid resource: " + arn + " (only a trailing * is supported)");
        }
        if (key.isEmpty()) {
            throw malformed("Policy has invalid resource: " + arn + " names no key; use " + ARN + bucket + "/*");
        }
        return new Resource(Optional.of(key));
    }

    private static void fields(ObjectNode o, Set<String> allowed, String where) throws S3Exception {
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw malformed("Unknown field " + f + " in " + where);
            }
        }
    }

    /** A single value or an array of them, as policy grammar allows for Statement, Action, Resource, AWS. */
    private static List<JsonNode> list(JsonNode n) {
        if (n == null) {
            return List.of();
        }
        List<JsonNode> out = new ArrayList<>();
        if (n instanceof ArrayNode a) {
            a.forEach(out::add);
        } else {
            out.add(n);
        }
        return out;
    }

    private static String string(JsonNode n, String field) throws S3Exception {
        if (n == null || !n.isTextual()) {
            throw malformed(field + " must be a string");
        }
        return n.asText();
    }

    private static String supportedActions() {
        return String.join(", ", java.util.Arrays.stream(PolicyAction.values()).map(PolicyAction::policyName).toList());
    }

    private static S3Exception malformed(String reason) {
        return new S3Exception(S3ErrorCode.MALFORMED_POLICY, reason);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "parse error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** The canonical JSON document: what is stored and what GetBucketPolicy answers. */
    public String render(String bucket) {
        ObjectNode top = JSON.createObjectNode();
        top.put("Version", version);
        id.ifPresent(i -> top.put("Id", i));
        ArrayNode list = top.putArray("Statement");
        for (Statement s : statements) {
            ObjectNode o = list.addObject();
            s.sid().ifPresent(x -> o.put("Sid", x));
            o.put("Effect", s.effect() == Effect.ALLOW ? "Allow" : "Deny");
            if (s.principals().everyone()) {
                o.put("Principal", "*");
            } else {
                ArrayNode users = o.putObject("Principal").putArray("AWS");
                s.principals().users().stream().sorted().forEach(users::add);
            }
            ArrayNode actions = o.putArray("Action");
            if (s.allActions()) {
                actions.add(PolicyAction.ALL);
            }
            s.actions().stream().sorted().forEach(a -> actions.add(a.policyName()));
            ArrayNode resources = o.putArray("Resource");
            s.resources().forEach(r -> resources.add(ARN + bucket + r.keyPattern().map(k -> "/" + k).orElse("")));
        }
        try {
            return JSON.writeValueAsString(top);
        } catch (IOException e) {
            throw new IllegalStateException("rendering a policy tree cannot fail", e);
        }
    }
}
