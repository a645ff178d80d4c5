package io.keel.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** What every command has: the shared context and its own spec, for usage errors. */
abstract class KeelSubcommand implements Callable<Integer> {
    protected final CliContext ctx;

    @Spec
    protected CommandSpec spec;

    protected KeelSubcommand(CliContext ctx) {
        this.ctx = ctx;
    }

    /** A usage error (exit code 2) about this command. */
    protected ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    protected PrintWriter out() {
        return ctx.out();
    }

    /** For groups such as {@code keel cluster}: a subcommand is required. */
    abstract static class Group extends KeelSubcommand {
        protected Group(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            throw usage("missing subcommand: expected one of " + String.join(", ", spec.subcommands().keySet()));
        }
    }
}
