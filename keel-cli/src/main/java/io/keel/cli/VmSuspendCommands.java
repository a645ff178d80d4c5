package io.keel.cli;

import static io.keel.cli.ApiClient.segment;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import picocli.CommandLine.Command;

/** {@code keel vm suspend} and {@code keel vm resume} (ADR 0021). */
final class VmSuspendCommands {
    private VmSuspendCommands() {}

    @Command(name = "suspend", description = {"Suspend a running or paused VM: save its memory and device state to",
        "a volume of its own (NAME-state) and stop it; it holds no RAM until 'keel vm resume'.",
        "'keel vm stop' of a suspended VM discards the saved state."})
    static final class Suspend extends VmCommands.Action {
        Suspend(CliContext ctx) {
            super(ctx);
        }

        @Override
        String action() {
            return "suspend";
        }

        @Override
        String done() {
            return "Suspended";
        }

        @Override
        public Integer call() {
            JsonNode answer = ctx.api().send("POST", "/api/v1/vms/" + segment(vm) + "/suspend", request(),
                    Duration.ofSeconds(waitSeconds));
            int code = VmCommands.report(this, ctx, answer, done());
            JsonNode state = answer.path("savedState");
            if (!ctx.jsonOutput() && state.isObject()) {
                out().println((state.path("saved").asBoolean() ? "saved " : "saving: ")
                        + Format.bytes(state.path("stateBytes").asLong()) + " of state to volume "
                        + state.path("volumeName").asText()
                        + (state.path("saveMillis").isNumber() ? " in " + state.path("saveMillis").asLong() + " ms" : "")
                        + ".");
            }
            return code;
        }
    }

    @Command(name = "resume", description = "Run a suspended VM again from its saved state, where it left off.")
    static final class Resume extends VmCommands.Action {
        Resume(CliContext ctx) {
            super(ctx);
        }

        @Override
        String action() {
            return "resume";
        }

        @Override
        String done() {
            return "Resumed";
        }
    }
}
