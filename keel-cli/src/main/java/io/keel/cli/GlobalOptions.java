package io.keel.cli;

import java.nio.file.Path;

/** The options every command accepts, wherever on the command line they appear. One per run. */
final class GlobalOptions {
    private String api;
    private OutputFormat output = OutputFormat.TABLE;
    private boolean insecure;
    private Path config;

    /** The normalised {@code --api} URL, or null when not given. */
    String api() {
        return api;
    }

    void api(String api) {
        this.api = api;
    }

    OutputFormat output() {
        return output;
    }

    void output(OutputFormat output) {
        this.output = output;
    }

    boolean insecure() {
        return insecure;
    }

    void insecure(boolean insecure) {
        this.insecure = insecure;
    }

    /** The {@code --config} file, or null when not given. */
    Path config() {
        return config;
    }

    void config(Path config) {
        this.config = config;
    }
}
