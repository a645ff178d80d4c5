package io.keel.s3.auth;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Other spellings of a signed Content-Type that mean the same. The HTTP server may hand us the
 * header re-rendered from its own cache of common media types (Jetty turns {@code charset=utf-8}
 * into {@code charset=UTF-8}, and the reverse, and may drop the space after the semicolon), while
 * the client signed its bytes. Charset names are case-insensitive and whitespace around the
 * semicolon is optional (RFC 9110 §8.3), so trying these forms after a mismatch accepts nothing
 * the client did not mean.
 */
final class ContentTypeForms {
    private ContentTypeForms() {}

    /** Up to four forms of {@code value} other than itself; empty when it has no parameters. */
    static List<String> alternatives(String value) {
        String[] parts = value.split(";");
        if (parts.length < 2) {
            return List.of();
        }
        Set<String> forms = new LinkedHashSet<>();
        for (String separator : new String[] {"; ", ";"}) {
            for (boolean upper : new boolean[] {false, true}) {
                StringBuilder b = new StringBuilder(parts[0].strip());
                for (int i = 1; i < parts.length; i++) {
                    b.append(separator).append(charsetCase(parts[i].strip(), upper));
                }
                forms.add(b.toString());
            }
        }
        forms.remove(value);
        return new ArrayList<>(forms);
    }

    private static String charsetCase(String parameter, boolean upper) {
        int eq = parameter.indexOf('=');
        if (eq < 0 || !parameter.substring(0, eq).strip().equalsIgnoreCase("charset")) {
            return parameter;
        }
        String name = parameter.substring(eq + 1);
        return parameter.substring(0, eq + 1) + (upper ? name.toUpperCase(Locale.ROOT) : name.toLowerCase(Locale.ROOT));
    }
}
