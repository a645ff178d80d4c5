package io.keel.meta.cluster;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Validation rules for names and ids that administrators type or see. Each validator returns the
 * error message (empty when the value is valid) rather than throwing, because callers (the API
 * layer, the replicated logic) each turn an error into their own kind of refusal. A null value is
 * an invalid value here, not a programming error: these methods check untrusted input.
 */
public final class Names {
    /** Storage cluster names end up in DNS-like places (hostnames, S3 endpoints), so stay ASCII. */
    private static final Pattern CLUSTER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,62}");
    /** Node names are usually hostnames, possibly fully qualified, hence dots and underscores. */
    private static final Pattern NODE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    /** Volume names appear in NBD export names, iSCSI IQNs and file names: ASCII, no separators. */
    private static final Pattern VOLUME_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    /** Volume ids prefix chunk ids on disk, whose alphabet is [A-Za-z0-9-] and length at most 64. */
    private static final Pattern VOLUME_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,47}");

    /** The volume name rule, six characters shorter: the image's volume is named "image-" + name. */
    private static final Pattern IMAGE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,56}");
    /** OS types are short tags ("linux", "windows", "ubuntu-24.04") that placement and consoles read. */
    private static final Pattern OS_TYPE = Pattern.compile("[a-z0-9][a-z0-9._-]{0,31}");

    public static final int MAX_LOCATION_NAME = 64;
    public static final int MAX_ID = 128;

    private Names() {}

    public static Optional<String> validateClusterName(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of("a storage cluster name is required: use 1-63 Latin letters, digits and hyphens,"
                    + " starting with a letter or digit");
        }
        if (!CLUSTER_NAME.matcher(name).matches()) {
            return Optional.of("storage cluster name " + quote(name) + " is not valid: use 1-63 Latin letters,"
                    + " digits and hyphens, starting with a letter or digit (for example \"my-cluster1\")");
        }
        return Optional.empty();
    }

    /** Policy names follow the storage cluster's rule: they appear in commands and paths. */
    public static Optional<String> validatePolicyName(String name) {
        if (name == null || name.isEmpty() || !CLUSTER_NAME.matcher(name).matches()) {
            return Optional.of("storage policy name " + (name == null ? "(none)" : quote(name)) + " is not valid:"
                    + " use 1-63 Latin letters, digits and hyphens, starting with a letter or digit");
        }
        return Optional.empty();
    }

    /** Flavor names follow the storage policy rule: they are typed in commands and shown in lists. */
    public static Optional<String> validateFlavorName(String name) {
        if (name == null || name.isEmpty() || !CLUSTER_NAME.matcher(name).matches()) {
            return Optional.of("flavor name " + (name == null ? "(none)" : quote(name)) + " is not valid:"
                    + " use 1-63 Latin letters, digits and hyphens, starting with a letter or digit");
        }
        return Optional.empty();
    }

    /** VM names follow the volume name rule, which QEMU's -name and thread names take as they are. */
    public static Optional<String> validateVmName(String name) {
        if (name == null || name.isEmpty() || !VOLUME_NAME.matcher(name).matches()) {
            return Optional.of("VM name " + (name == null ? "(none)" : quote(name)) + " is not valid: use 1-63"
                    + " Latin letters, digits, hyphens, dots and underscores, starting with a letter or digit");
        }
        return Optional.empty();
    }

    public static Optional<String> validateVolumeName(String name) {
        if (name == null || name.isEmpty() || !VOLUME_NAME.matcher(name).matches()) {
            return Optional.of("volume name " + (name == null ? "(none)" : quote(name)) + " is not valid: use 1-63"
                    + " Latin letters, digits, hyphens, dots and underscores, starting with a letter or digit");
        }
        return Optional.empty();
    }

    /** Snapshot names follow the volume name rule: a clone may take a snapshot's name as its own. */
    public static Optional<String> validateSnapshotName(String name) {
        if (name == null || name.isEmpty() || !VOLUME_NAME.matcher(name).matches()) {
            return Optional.of("snapshot name " + (name == null ? "(none)" : quote(name)) + " is not valid: use 1-63"
                    + " Latin letters, digits, hyphens, dots and underscores, starting with a letter or digit");
        }
        return Optional.empty();
    }

    public static Optional<String> validateImageName(String name) {
        if (name == null || name.isEmpty() || !IMAGE_NAME.matcher(name).matches()) {
            return Optional.of("image name " + (name == null ? "(none)" : quote(name)) + " is not valid: use 1-57"
                    + " Latin letters, digits, hyphens, dots and underscores, starting with a letter or digit");
        }
        return Optional.empty();
    }

    public static Optional<String> validateOsType(String osType) {
        if (osType == null || !OS_TYPE.matcher(osType).matches()) {
            return Optional.of("OS type " + (osType == null ? "(none)" : quote(osType)) + " is not valid: use 1-32"
                    + " lower-case Latin letters, digits, hyphens, dots and underscores (for example \"linux\","
                    + " \"windows\")");
        }
        return Optional.empty();
    }

    /** Image ids follow the volume id alphabet: they are generated the same way. */
    public static Optional<String> validateImageId(String id) {
        if (id == null || !VOLUME_ID.matcher(id).matches()) {
            return Optional.of("image id " + quote(id) + " is not valid: 1-48 lower-case letters, digits and"
                    + " hyphens");
        }
        return Optional.empty();
    }

    public static Optional<String> validateVolumeId(String id) {
        if (id == null || !VOLUME_ID.matcher(id).matches()) {
            return Optional.of("volume id " + quote(id) + " is not valid: 1-48 lower-case letters, digits and"
                    + " hyphens");
        }
        return Optional.empty();
    }

    public static Optional<String> validateNodeName(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of("a node name is required: use 1-63 Latin letters, digits, hyphens, dots and"
                    + " underscores, starting with a letter or digit");
        }
        if (!NODE_NAME.matcher(name).matches()) {
            return Optional.of("node name " + quote(name) + " is not valid: use 1-63 Latin letters, digits,"
                    + " hyphens, dots and underscores, starting with a letter or digit (for example \"node-1\")");
        }
        return Optional.empty();
    }

    /**
     * Location names are free text (any script) shown in lists and paths such as "Room 1/Row A",
     * which is why '/' is refused; control characters would corrupt that display and logs.
     */
    public static Optional<String> validateLocationName(String name) {
        if (name == null || name.isBlank()) {
            return Optional.of("a location name is required (1-" + MAX_LOCATION_NAME + " characters, not only spaces)");
        }
        int length = name.codePointCount(0, name.length());
        if (length > MAX_LOCATION_NAME) {
            return Optional.of("location name " + quote(name) + " is too long: " + length
                    + " characters, at most " + MAX_LOCATION_NAME);
        }
        if (name.indexOf('/') >= 0) {
            return Optional.of("location name " + quote(name) + " is not valid: it must not contain '/'");
        }
        if (name.codePoints().anyMatch(Names::isControl)) {
            return Optional.of("location name " + quote(name) + " is not valid: it must not contain control"
                    + " characters such as tabs or line breaks");
        }
        return Optional.empty();
    }

    /**
     * Ids become part of storage keys ("node/&lt;id&gt;") and URLs, so they may not contain '/',
     * whitespace or control characters. {@code what} names the id in the message ("node id").
     */
    public static Optional<String> validateId(String what, String id) {
        if (id == null || id.isEmpty()) {
            return Optional.of(what + " is required");
        }
        if (id.length() > MAX_ID) {
            return Optional.of(what + " " + quote(id) + " is too long: at most " + MAX_ID + " characters");
        }
        if (id.indexOf('/') >= 0 || id.codePoints().anyMatch(c -> isControl(c) || Character.isWhitespace(c))) {
            return Optional.of(what + " " + quote(id) + " is not valid: it must not contain '/', spaces or"
                    + " control characters");
        }
        return Optional.empty();
    }

    /**
     * Quotes untrusted text for a message: control characters escaped and long values shortened,
     * so that a hostile or broken value cannot forge log lines or flood a response.
     */
    public static String quote(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder("\"");
        int shown = 0;
        for (int i = 0; i < value.length(); ) {
            int c = value.codePointAt(i);
            i += Character.charCount(c);
            if (++shown > 80) {
                out.append("...");
                break;
            }
            if (c == '"' || c == '\\') {
                out.append('\\').appendCodePoint(c);
            } else if (isControl(c)) {
                out.append(String.format(Locale.ROOT, "\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        }
        return out.append('"').toString();
    }

    private static boolean isControl(int c) {
        int type = Character.getType(c);
        return Character.isISOControl(c) || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
    }
}
