package io.keel.cli;

import java.util.Locale;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Checks sizes such as 10G, 512M or 1073741824 before they are sent, so a typo is a usage error
 * without a round trip. The API reads the same syntax (keel-api's Sizes, which the CLI does not
 * depend on) and stays the judge of what size is acceptable.
 */
final class Sizes {
    private static final Pattern SIZE = Pattern.compile("\\d+\\s*(?:[KMGT](?:I?B)?|B)?");

    private Sizes() {}

    /** {@code text} stripped, or IllegalArgumentException with the API's wording. */
    static String check(String text) {
        String t = text == null ? "" : text.strip();
        if (!SIZE.matcher(t.toUpperCase(Locale.ROOT)).matches()) {
            throw new IllegalArgumentException(
                    "size must be a number of bytes or end in K, M, G, T (powers of 1024): \"" + text + "\"");
        }
        return t;
    }

    static final class Converter implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            try {
                return check(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
