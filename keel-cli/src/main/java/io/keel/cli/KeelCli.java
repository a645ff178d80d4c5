package io.keel.cli;

import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code keel} command line. {@link #run} parses the arguments, talks to the REST API and
 * prints to the writers given; it returns the exit code: 0 success, 1 failure (API error, API
 * unreachable, TLS failure...), 2 usage error. {@code keel node} followed by anything other than
 * one of its subcommands hands the rest of the arguments to the {@link DaemonLauncher}.
 */
public final class KeelCli {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final Set<String> HELP = Set.of("-h", "--help");
    private static final Set<String> GLOBAL_WITH_VALUE = Set.of("--api", "-o", "--output", "--config");

    private final DaemonLauncher daemon;
    private final PrintWriter out;
    private final PrintWriter err;
    private final Map<String, String> env;
    private final InputStream in;
    private final PasswordReader passwords;
    private final Duration timeout;
    private final Clock clock;

    /**
     * @param daemon runs the node daemon for {@code keel node --config ...}
     * @param out where results go
     * @param err where errors and warnings go
     * @param env the environment ({@code HOME}, {@code KEEL_CLI_CONFIG})
     */
    public KeelCli(DaemonLauncher daemon, PrintWriter out, PrintWriter err, Map<String, String> env) {
        this(daemon, out, err, env, System.in);
    }

    /** With {@code in} as standard input (what `keel vm console` sends to the VM when it is not a terminal). */
    public KeelCli(DaemonLauncher daemon, PrintWriter out, PrintWriter err, Map<String, String> env, InputStream in) {
        this(daemon, out, err, env, in, PasswordReader.console(), DEFAULT_TIMEOUT, Clock.systemUTC());
    }

    KeelCli(DaemonLauncher daemon, PrintWriter out, PrintWriter err, Map<String, String> env, InputStream in,
            PasswordReader passwords, Duration timeout, Clock clock) {
        this.daemon = Objects.requireNonNull(daemon, "daemon");
        this.out = Objects.requireNonNull(out, "out");
        this.err = Objects.requireNonNull(err, "err");
        this.env = Map.copyOf(env);
        this.in = Objects.requireNonNull(in, "in");
        this.passwords = Objects.requireNonNull(passwords, "passwords");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Runs {@code keel} in this process with stdin/stdout/stderr and the real environment; exits the JVM. */
    public static void main(String[] args) {
        Charset cs = System.out.charset();
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, cs), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, System.err.charset()), true);
        DaemonLauncher noDaemon = a -> {
            err.println("error: this build of keel has no node daemon: run the keel-node distribution");
            return FAILED;
        };
        System.exit(new KeelCli(noDaemon, out, err, System.getenv()).run(args));
    }

    public int run(String... args) {
        return run(Map.of(), args);
    }

    /**
     * With {@code extra} top-level commands: for tests of a command whose group does not exist yet
     * (the {@code keel vm console} command before {@code keel vm}).
     */
    int run(Map<String, Class<?>> extra, String... args) {
        Objects.requireNonNull(args, "args");
        try (CliContext ctx = new CliContext(out, err, env, in, passwords, timeout, clock)) {
            CommandLine cli = commandLine(ctx);
            extra.forEach(cli::addSubcommand);
            if (isDaemon(cli, args)) {
                return daemon.run(Arrays.copyOfRange(args, 1, args.length));
            }
            return cli.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /**
     * {@code keel node ...} where, after any global options of the CLI, the next word is neither a
     * subcommand of {@code node} nor --help: then every argument after {@code node} is the daemon's.
     */
    private static boolean isDaemon(CommandLine cli, String[] args) {
        if (args.length == 0 || !args[0].equals("node")) {
            return false;
        }
        Set<String> subcommands = cli.getSubcommands().get("node").getSubcommands().keySet();
        int i = 1;
        while (i < args.length) {
            String a = args[i];
            if (subcommands.contains(a) || HELP.contains(a)) {
                return false;
            }
            if (GLOBAL_WITH_VALUE.contains(a)) {
                i += 2;
            } else if (a.equals("--insecure") || GLOBAL_WITH_VALUE.stream().anyMatch(o -> a.startsWith(o + "="))
                    || a.startsWith("-o") && a.length() > 2) {
                i++;
            } else {
                return true;
            }
        }
        return true;
    }

    private CommandLine commandLine(CliContext ctx) {
        CommandLine cli = new CommandLine(new KeelCommand(ctx), new CommandFactory(ctx));
        cli.setOut(out);
        cli.setErr(err);
        cli.setColorScheme(Help.defaultColorScheme(Help.Ansi.OFF));
        cli.setParameterExceptionHandler(this::usageError);
        cli.setExecutionExceptionHandler(this::failure);
        return cli;
    }

    private int usageError(ParameterException e, String[] args) {
        err.println("error: " + e.getMessage());
        UnmatchedArgumentException.printSuggestions(e, err);
        CommandLine command = e.getCommandLine();
        String name = command == null ? "keel" : command.getCommandSpec().qualifiedName();
        err.println("Run '" + name + " --help' for usage.");
        return USAGE;
    }

    private int failure(Exception e, CommandLine command, ParseResult parsed) {
        switch (e) {
            case ApiError api -> {
                err.println("error: " + api.describe());
                if (api.status() == 401 && !command.getCommandName().equals("login")) {
                    err.println("Your session is missing, expired or not valid for this API: run 'keel login'.");
                }
            }
            case CliException cli -> err.println("error: " + cli.getMessage());
            default -> {
                err.println("error: unexpected failure: " + e);
                if (e.getCause() != null) {
                    err.println("caused by: " + e.getCause());
                }
            }
        }
        return FAILED;
    }
}
