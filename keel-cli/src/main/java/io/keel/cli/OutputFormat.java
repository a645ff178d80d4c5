package io.keel.cli;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** What commands print: aligned text, or the API's JSON as it came. */
enum OutputFormat {
    TABLE, JSON;

    static final class Converter implements ITypeConverter<OutputFormat> {
        @Override
        public OutputFormat convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "table", "text" -> TABLE;
                case "json" -> JSON;
                default -> throw new TypeConversionException("expected table or json, got '" + value + "'");
            };
        }
    }
}
