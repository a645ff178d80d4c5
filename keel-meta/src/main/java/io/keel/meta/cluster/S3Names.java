package io.keel.meta.cluster;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Validation rules of the S3 control plane, in the style of {@link Names}: each returns the error
 * message, empty when the value is valid. keel-meta does not depend on keel-s3, so the bucket
 * name rule is stated here as well; both follow AWS's published general-purpose bucket rules.
 */
public final class S3Names {
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final List<String> RESERVED_PREFIXES = List.of("xn--", "sthree-", "amzn-s3-demo-");
    private static final List<String> RESERVED_SUFFIXES = List.of("-s3alias", "--ol-s3", ".mrap", "--x-s3",
            "--table-s3");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    /** RFC 5322 dot-atom local part: what mail systems actually accept, quoted forms left out. */
    private static final Pattern LOCAL_PART = Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*");
    private static final Pattern SHARD = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
    public static final int MAX_EMAIL = 254;
    public static final int MAX_DISPLAY_NAME = 64;

    private S3Names() {}

    public static Optional<String> validateBucketName(String name) {
        String rule = bucketRule(name);
        return rule == null ? Optional.empty()
                : Optional.of("bucket name " + Names.quote(name) + " is not valid: " + rule);
    }

    private static String bucketRule(String name) {
        if (name == null || name.length() < 3 || name.length() > 63) {
            return "it must be 3-63 characters long";
        }
        if (!BUCKET.matcher(name).matches()) {
            return "use lower-case letters, digits, dots and hyphens, beginning and ending with a letter or digit";
        }
        if (name.contains("..") || name.contains(".-") || name.contains("-.")) {
            return "no two dots in a row and no hyphen next to a dot";
        }
        if (IPV4.matcher(name).matches()) {
            return "it must not look like an IP address";
        }
        for (String p : RESERVED_PREFIXES) {
            if (name.startsWith(p)) {
                return "the prefix " + p + " is reserved";
            }
        }
        for (String s : RESERVED_SUFFIXES) {
            if (name.endsWith(s)) {
                return "the suffix " + s + " is reserved";
            }
        }
        return null;
    }

    /**
     * A DNS host name of the endpoint, lower case: letters, digits and hyphens in dot-separated
     * labels of at most 63 characters, 253 in all. A single label ("localhost") is allowed.
     */
    public static Optional<String> validateHostname(String name) {
        if (name == null || name.isEmpty() || name.length() > 253 || name.startsWith(".") || name.endsWith(".")) {
            return Optional.of("endpoint name " + Names.quote(name) + " is not a DNS name: 1-253 characters in"
                    + " dot-separated labels");
        }
        for (String label : name.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return Optional.of("endpoint name " + Names.quote(name) + " is not a DNS name: each label is 1-63"
                        + " lower-case letters, digits and hyphens, not beginning or ending with a hyphen");
            }
        }
        if (IPV4.matcher(name).matches()) {
            return Optional.of("endpoint name " + Names.quote(name) + " is an IP address: give a DNS name, since"
                    + " virtual-hosted-style addressing puts the bucket in front of it");
        }
        return Optional.empty();
    }

    /** A deliverable-looking address: dot-atom local part of at most 64 characters, a DNS domain. */
    public static Optional<String> validateEmail(String email) {
        String problem = "e-mail address " + Names.quote(email) + " is not valid";
        if (email == null || email.length() > MAX_EMAIL) {
            return Optional.of(problem + ": 3-" + MAX_EMAIL + " characters");
        }
        int at = email.lastIndexOf('@');
        if (at < 1 || at != email.indexOf('@')) {
            return Optional.of(problem + ": it needs exactly one '@' with a name before it");
        }
        String local = email.substring(0, at);
        if (local.length() > 64 || !LOCAL_PART.matcher(local).matches()) {
            return Optional.of(problem + ": the part before '@' is at most 64 Latin letters, digits and"
                    + " !#$%&'*+/=?^_`{|}~- in dot-separated words");
        }
        if (validateHostname(email.substring(at + 1).toLowerCase(java.util.Locale.ROOT)).isPresent()) {
            return Optional.of(problem + ": the part after '@' is not a DNS domain");
        }
        return Optional.empty();
    }

    public static Optional<String> validateDisplayName(String name) {
        if (name == null || name.isBlank() || name.codePointCount(0, name.length()) > MAX_DISPLAY_NAME
                || name.codePoints().anyMatch(Character::isISOControl)) {
            return Optional.of("display name " + Names.quote(name) + " is not valid: 1-" + MAX_DISPLAY_NAME
                    + " characters, not only spaces, no control characters");
        }
        return Optional.empty();
    }

    public static Optional<String> validateShardId(String id) {
        if (id == null || !SHARD.matcher(id).matches()) {
            return Optional.of("index shard id " + Names.quote(id) + " is not valid: 1-32 lower-case letters,"
                    + " digits and hyphens, starting with a letter or digit");
        }
        return Optional.empty();
    }

    public static Optional<String> validateAccessKeyId(String id) {
        if (id == null || !S3Keys.ID.matcher(id).matches()) {
            return Optional.of("access key id " + Names.quote(id) + " is not valid: " + S3Keys.ID_PREFIX
                    + " followed by 16 characters of A-Z and 2-7 (generate it with S3Keys)");
        }
        return Optional.empty();
    }

    /** Never quotes the value: a wrong secret in a message or log is still someone's secret. */
    public static Optional<String> validateSecret(String secret) {
        if (secret == null || !S3Keys.SECRET.matcher(secret).matches()) {
            return Optional.of("the secret key is not valid: " + S3Keys.SECRET_LENGTH + " characters of A-Z, a-z,"
                    + " 0-9, '+' and '/' (generate it with S3Keys)");
        }
        return Optional.empty();
    }
}
