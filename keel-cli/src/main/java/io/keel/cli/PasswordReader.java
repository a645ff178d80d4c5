package io.keel.cli;

import java.io.Console;
import java.util.Optional;

/** Asks for a password without echoing it, when there is a terminal to ask on. */
interface PasswordReader {
    /** The password typed, or empty when not interactive. */
    Optional<char[]> read(String prompt);

    /** Prompts on {@link System#console()} when it is a terminal. */
    static PasswordReader console() {
        return prompt -> {
            Console console = System.console();
            if (console == null || !console.isTerminal()) {
                return Optional.empty();
            }
            return Optional.ofNullable(console.readPassword("%s", prompt));
        };
    }
}
