package io.keel.s3.auth;

import java.util.Objects;
import java.util.Optional;

/** {@code <access key id>/<yyyymmdd>/<region>/<service>/aws4_request}, split but not yet judged. */
public record CredentialScope(String accessKeyId, String date, String region, String service, String terminator) {
    public CredentialScope {
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(terminator, "terminator");
    }

    /** Empty unless the credential has exactly five non-empty parts. */
    public static Optional<CredentialScope> parse(String credential) {
        String[] p = credential.split("/", -1);
        if (p.length != 5) {
            return Optional.empty();
        }
        for (String part : p) {
            if (part.isEmpty()) {
                return Optional.empty();
            }
        }
        return Optional.of(new CredentialScope(p[0], p[1], p[2], p[3], p[4]));
    }

    /** The scope line of the string to sign (the credential without the access key id). */
    public String scope() {
        return date + "/" + region + "/" + service + "/" + terminator;
    }
}
