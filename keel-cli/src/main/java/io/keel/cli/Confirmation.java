package io.keel.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Confirmation of a command that destroys data: the answer must repeat a name rather than a
 * reflexive "y", and no answer (standard input closed) changes nothing.
 */
final class Confirmation {
    private Confirmation() {}

    /**
     * Prints {@code prompt} and reads one line; throws with {@code refused} as the reason unless the
     * line is {@code expected}.
     */
    static void require(CliContext ctx, String prompt, String expected, String refused) {
        ctx.err().print(prompt);
        ctx.err().flush();
        String answer;
        try {
            // Not closed: the reader wraps the CLI's standard input, which is not ours to close.
            answer = new BufferedReader(new InputStreamReader(ctx.in(), StandardCharsets.UTF_8)).readLine();
        } catch (IOException e) {
            throw new CliException("cannot read the confirmation: " + e.getMessage(), e);
        }
        if (answer == null) {
            ctx.err().println();
            throw new CliException(refused + ": no confirmation was given (add --yes to go ahead without asking)");
        }
        if (!answer.strip().equals(expected)) {
            throw new CliException(refused + ": the name typed did not match");
        }
    }
}
