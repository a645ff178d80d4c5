package io.keel.cli;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code keel}: the global options, which every subcommand accepts too, and the command groups. */
@Command(
        name = "keel",
        versionProvider = KeelCommand.Version.class,
        description = "Manage a Keel cluster through its REST API.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {
            LoginCommand.class,
            NodeCommands.class,
            ClusterCommands.class,
            DiskCommands.class,
            LocationCommands.class,
            PolicyCommands.class,
            VolumeCommands.class,
            SnapshotCommands.class,
            IscsiCommands.class,
            S3Commands.class,
            ComputeCommands.class,
            FlavorCommands.class,
            NetworkCommands.class,
            VmCommands.class,
            ImageCommands.class,
            EventsCommand.class
        },
        footerHeading = "%nConfiguration:%n",
        footer = {
            "  'keel login' saves the API URL and the session in the CLI configuration",
            "  file: --config FILE, else $KEEL_CLI_CONFIG, else",
            "  $HOME/.config/keel/cli.json (mode 0600).",
            "",
            "Exit codes: 0 success, 1 failure, 2 usage error."
        })
final class KeelCommand extends KeelSubcommand.Group {
    @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "Show this help and exit.")
    boolean help;

    @Option(names = {"-V", "--version"}, versionHelp = true, description = "Print the version and exit.")
    boolean version;

    KeelCommand(CliContext ctx) {
        super(ctx);
    }

    @Option(names = "--api", paramLabel = "URL", scope = ScopeType.INHERIT, converter = ApiUrl.Converter.class,
            description = "Keel API URL, e.g. https://10.0.0.1:8888 (default: the one saved by 'keel login').")
    void api(String url) {
        if (url != null) {
            ctx.options().api(url);
        }
    }

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", scope = ScopeType.INHERIT,
            converter = OutputFormat.Converter.class,
            description = "Output format: table or json (the API's JSON, pretty-printed). Default: table.")
    void output(OutputFormat format) {
        if (format != null) {
            ctx.options().output(format);
        }
    }

    @Option(names = "--insecure", scope = ScopeType.INHERIT,
            description = "Accept the API's TLS certificate without verifying it (self-signed certificates).")
    void insecure(boolean insecure) {
        if (insecure) {
            ctx.options().insecure(true);
        }
    }

    @Option(names = "--config", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "CLI configuration file (default: $KEEL_CLI_CONFIG, else $HOME/.config/keel/cli.json).")
    void config(Path file) {
        if (file != null) {
            ctx.options().config(file);
        }
    }

    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = KeelCommand.class.getPackage().getImplementationVersion();
            return new String[] {"keel " + (v == null ? "(development build)" : v)};
        }
    }
}
