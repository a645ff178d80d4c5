package io.keel.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Checks and normalises an API base URL: http or https, a host, no query; no trailing slash. */
final class ApiUrl {
    private ApiUrl() {}

    /** The normalised URL; IllegalArgumentException with a readable message when it is not one. */
    static String normalise(String value) {
        String v = value == null ? "" : value.strip();
        URI uri;
        try {
            uri = new URI(v);
        } catch (URISyntaxException e) {
            throw invalid(v);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null
                || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw invalid(v);
        }
        String s = scheme + "://" + uri.getRawAuthority() + (uri.getRawPath() == null ? "" : uri.getRawPath());
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    /** host:port of a URL, for messages and the join command line. */
    static String authority(String url) {
        return URI.create(url).getRawAuthority();
    }

    private static IllegalArgumentException invalid(String v) {
        return new IllegalArgumentException(
                "invalid API URL '" + v + "': expected http://HOST:PORT or https://HOST:PORT");
    }

    static final class Converter implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            try {
                return normalise(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
