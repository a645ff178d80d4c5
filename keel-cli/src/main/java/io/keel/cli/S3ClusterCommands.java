package io.keel.cli;

import static io.keel.cli.S3Commands.CLUSTER;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.cli.S3Commands.Cluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code keel s3 cluster create|show|update|delete}. */
@Command(
        name = "cluster",
        description = "Manage the S3 cluster: which nodes run gateways, on which names, ports and certificate.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {S3ClusterCommands.Create.class, S3ClusterCommands.Show.class, S3ClusterCommands.Update.class,
            S3ClusterCommands.Delete.class})
final class S3ClusterCommands extends KeelSubcommand.Group {
    record CreateRequest(List<String> nodes, String policy, List<String> endpoints, String protocol, Integer httpPort,
            Integer httpsPort, Boolean selfSignedCertificate, String certificatePem, String privateKeyPem) {
        @Override
        public String toString() {
            return "CreateRequest[nodes=" + nodes + ", endpoints=" + endpoints + ", protocol=" + protocol + "]";
        }
    }

    record UpdateRequest(List<String> nodes, List<String> endpoints, String protocol, Integer httpPort,
            Integer httpsPort, Boolean selfSignedCertificate, String certificatePem, String privateKeyPem) {
        @Override
        public String toString() {
            return "UpdateRequest[nodes=" + nodes + ", endpoints=" + endpoints + ", protocol=" + protocol + "]";
        }
    }

    S3ClusterCommands(CliContext ctx) {
        super(ctx);
    }

    /** What create and update share: listeners and certificate. */
    abstract static class Settings extends KeelSubcommand {
        @Option(names = "--protocol", paramLabel = "PROTOCOL",
                description = "http, https or both (create: default https).")
        String protocol;

        @Option(names = "--http-port", paramLabel = "PORT", description = "The HTTP port (default 7480).")
        Integer httpPort;

        @Option(names = "--https-port", paramLabel = "PORT", description = "The HTTPS port (default 7443).")
        Integer httpsPort;

        @Option(names = "--self-signed", description = "Generate a self-signed certificate for every endpoint"
                + " and *.endpoint (valid 825 days; run again to renew).")
        boolean selfSigned;

        @Option(names = "--cert", paramLabel = "FILE", description = "The certificate chain (PEM, server's first).")
        Path cert;

        @Option(names = "--key", paramLabel = "FILE",
                description = "The certificate's private key (PEM, not encrypted). Never shown again.")
        Path key;

        Settings(CliContext ctx) {
            super(ctx);
        }

        /** Local checks, so a typo costs no round trip and no key leaves the machine for nothing. */
        String checkedProtocol() {
            for (Integer port : new Integer[] {httpPort, httpsPort}) {
                if (port != null && (port < 1 || port > 65535)) {
                    throw usage("ports are 1-65535, not " + port);
                }
            }
            if (protocol == null) {
                return null;
            }
            String p = protocol.strip().toUpperCase(Locale.ROOT);
            if (!List.of("HTTP", "HTTPS", "BOTH").contains(p)) {
                throw usage("--protocol must be http, https or both, not '" + protocol + "'");
            }
            return p;
        }

        void checkCertificateOptions() {
            if ((cert == null) != (key == null)) {
                throw usage("--cert and --key go together: the gateways serve HTTPS with both");
            }
            if (selfSigned && cert != null) {
                throw usage("--self-signed and --cert contradict each other: give one of them");
            }
        }

        String certificate() {
            return cert == null ? null : read(cert, "certificate");
        }

        String privateKey() {
            if (key == null) {
                return null;
            }
            String text = read(key, "private key");
            warnIfOthersCanRead(key);
            return text;
        }

        private String read(Path file, String what) {
            try {
                return Files.readString(file, StandardCharsets.US_ASCII);
            } catch (NoSuchFileException e) {
                throw new CliException("cannot read the " + what + ": no file " + file);
            } catch (IOException e) {
                throw new CliException("cannot read the " + what + " from " + file + " (PEM text expected)", e);
            }
        }

        private void warnIfOthersCanRead(Path file) {
            Set<PosixFilePermission> permissions;
            try {
                permissions = Files.getPosixFilePermissions(file);
            } catch (IOException | UnsupportedOperationException e) {
                return; // not a POSIX file system: nothing to say
            }
            if (permissions.contains(PosixFilePermission.GROUP_READ)
                    || permissions.contains(PosixFilePermission.OTHERS_READ)) {
                ctx.err().println("warning: " + file + " can be read by other users: chmod 600 it");
            }
        }

        void printResult(JsonNode answer, String headline) {
            if (ctx.jsonOutput()) {
                ctx.printJson(answer);
                return;
            }
            Cluster c = ctx.read(answer, Cluster.class);
            out().println(headline);
            S3Commands.printCluster(c, out());
            S3Commands.trustHint(c, out());
        }
    }

    @Command(name = "create", description = {
        "Create the S3 cluster: a gateway on each --node serves S3 for the --endpoint",
        "names. Give two or more nodes, and point the endpoint names at them (DNS",
        "round robin or a load balancer); for virtual-hosted-style requests",
        "(bucket.s3.example.com) point *.ENDPOINT at them too.",
        "HTTPS (the default) needs a certificate: --self-signed, or --cert FILE",
        "with --key FILE.",
        "Example:",
        "  keel s3 cluster create --node node1 --node node2 --policy replicated \\",
        "      --endpoint s3.example.com --self-signed"})
    static final class Create extends Settings {
        @Option(names = "--node", required = true, paramLabel = "NODE",
                description = "A node (name or id) to run a gateway on. Repeat for each.")
        List<String> nodes = new ArrayList<>();

        @Option(names = "--policy", required = true, paramLabel = "POLICY",
                description = "The storage policy object data is written under.")
        String policy;

        @Option(names = "--endpoint", required = true, paramLabel = "NAME",
                description = "A DNS name clients address, such as s3.example.com. Repeat for each.")
        List<String> endpoints = new ArrayList<>();

        Create(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            String p = checkedProtocol();
            checkCertificateOptions();
            JsonNode answer = ctx.api().post(CLUSTER, new CreateRequest(List.copyOf(nodes), policy,
                    List.copyOf(endpoints), p, httpPort, httpsPort, selfSigned ? Boolean.TRUE : null, certificate(),
                    privateKey()));
            printResult(answer, "Created the S3 cluster:");
            if (nodes.size() < 2) {
                ctx.err().println("warning: the S3 cluster has a single gateway node: S3 is down while that node is."
                        + " Add another with 'keel s3 cluster update --node ... --node ...'.");
            }
            return KeelCli.OK;
        }
    }

    @Command(name = "show", description = "Show the S3 cluster: nodes, endpoints, URLs, ports and certificate.")
    static final class Show extends KeelSubcommand {
        @Option(names = "--certificate", description = "Print only the certificate (PEM), for clients to trust.")
        boolean certificate;

        Show(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            JsonNode answer = ctx.api().get(CLUSTER);
            Cluster c = ctx.read(answer, Cluster.class);
            if (certificate) {
                if (c.certificatePem() == null) {
                    throw new CliException("the S3 cluster serves no HTTPS, so it has no certificate");
                }
                out().print(c.certificatePem());
            } else if (ctx.jsonOutput()) {
                ctx.printJson(answer);
            } else {
                S3Commands.printCluster(c, out());
            }
            return KeelCli.OK;
        }
    }

    @Command(name = "update", description = {
        "Change the S3 cluster. Options left out keep their value; --node and",
        "--endpoint replace the whole list. A self-signed certificate is generated",
        "again for new endpoint names (clients must then trust the new one), and",
        "--self-signed renews it. Switching HTTPS off deletes the stored key."})
    static final class Update extends Settings {
        @Option(names = "--node", paramLabel = "NODE", description = "The gateway nodes, replacing the current ones.")
        List<String> nodes = new ArrayList<>();

        @Option(names = "--endpoint", paramLabel = "NAME",
                description = "The endpoint names, replacing the current ones.")
        List<String> endpoints = new ArrayList<>();

        Update(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            String p = checkedProtocol();
            checkCertificateOptions();
            if (nodes.isEmpty() && endpoints.isEmpty() && p == null && httpPort == null && httpsPort == null
                    && !selfSigned && cert == null) {
                throw usage("nothing to change: give --node, --endpoint, --protocol, a port, --self-signed or --cert");
            }
            JsonNode answer = ctx.api().patch(CLUSTER, new UpdateRequest(nodes.isEmpty() ? null : List.copyOf(nodes),
                    endpoints.isEmpty() ? null : List.copyOf(endpoints), p, httpPort, httpsPort,
                    selfSigned ? Boolean.TRUE : null, certificate(), privateKey()));
            printResult(answer, "Updated the S3 cluster:");
            return KeelCli.OK;
        }
    }

    @Command(name = "delete", description = {"Delete the S3 cluster: its gateways stop.",
            "Refused while buckets exist. Users and their keys are kept, so creating the",
            "S3 cluster again brings them back. Asks for confirmation unless --yes is given."})
    static final class Delete extends KeelSubcommand {
        @Option(names = "--yes", description = "Delete without asking.")
        boolean yes;

        Delete(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            if (!yes) {
                Confirmation.require(ctx, "Delete the S3 cluster? Type 's3' to confirm: ", "s3",
                        "S3 cluster not deleted");
            }
            ctx.api().delete(CLUSTER);
            if (!ctx.jsonOutput()) {
                out().println("Deleted the S3 cluster; users and their keys are kept.");
            }
            return KeelCli.OK;
        }
    }
}
