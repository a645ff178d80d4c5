package io.keel.s3.auth;

import io.keel.s3.address.UriCodec;
import io.keel.s3.error.S3ErrorCode;
import io.keel.s3.error.S3Exception;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The decoded parameters of a raw query string, in wire order (duplicates kept: they are all signed). */
public record QueryParams(List<Param> params) {
    /** Bounds the work one request can make us do; real S3 queries have a handful of parameters. */
    public static final int MAX_PARAMS = 1000;

    public record Param(String name, String value) {
        public Param {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    public QueryParams {
        params = List.copyOf(params);
    }

    public static QueryParams parse(String rawQuery) throws S3Exception {
        List<Param> out = new ArrayList<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return new QueryParams(out);
        }
        for (String pair : rawQuery.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            if (out.size() == MAX_PARAMS) {
                throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Too many query parameters");
            }
            int eq = pair.indexOf('=');
            String name = UriCodec.decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : UriCodec.decode(pair.substring(eq + 1));
            out.add(new Param(name, value));
        }
        return new QueryParams(out);
    }

    /** The first value of a parameter (names are case-sensitive, as in S3). */
    public Optional<String> first(String name) {
        return params.stream().filter(p -> p.name().equals(name)).map(Param::value).findFirst();
    }

    public boolean has(String name) {
        return params.stream().anyMatch(p -> p.name().equals(name));
    }
}
