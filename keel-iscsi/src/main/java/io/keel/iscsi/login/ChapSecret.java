package io.keel.iscsi.login;

import java.util.Objects;

/** A CHAP name and secret. The secret never appears in {@link #toString()} and so in no log line. */
public record ChapSecret(String name, String secret) {
    public ChapSecret {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(secret, "secret");
        if (name.isEmpty() || secret.isEmpty()) {
            throw new IllegalArgumentException("CHAP name and secret must not be empty");
        }
    }

    @Override
    public String toString() {
        return "ChapSecret[name=" + name + ", secret=***]";
    }
}
