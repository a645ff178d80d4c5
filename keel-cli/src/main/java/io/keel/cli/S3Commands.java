package io.keel.cli;

import static io.keel.cli.ApiClient.segment;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import picocli.CommandLine.Command;

/**
 * {@code keel s3}: the S3 control plane (ADR 0044). The S3 cluster is the set of nodes whose
 * gateways serve S3 on the endpoint names; users are identified by e-mail address and sign their
 * requests with access keys; buckets are created by users through S3 itself.
 */
@Command(
        name = "s3",
        description = {"Manage the S3 service: the S3 cluster, users, access keys and buckets.",
                "Users create buckets and objects through S3 with their access keys; this",
                "command manages who may, and where the gateways listen."},
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {S3ClusterCommands.class, S3UserCommands.class, S3KeyCommands.class, S3BucketCommands.class})
final class S3Commands extends KeelSubcommand.Group {
    static final String BASE = "/api/v1/s3";
    static final String CLUSTER = BASE + "/cluster";
    static final String USERS = BASE + "/users";
    static final String KEYS = BASE + "/keys";
    static final String BUCKETS = BASE + "/buckets";

    record Node(String node, String nodeName) {}

    record Cluster(List<Node> nodes, String policy, List<String> endpoints, String protocol, int httpPort,
            int httpsPort, boolean selfSignedCertificate, String certificatePem, List<String> certificateNames,
            String certificateNotAfter, List<String> indexShards, String createdAt) {
        Cluster {
            nodes = nodes == null ? List.of() : nodes;
            endpoints = endpoints == null ? List.of() : endpoints;
            indexShards = indexShards == null ? List.of() : indexShards;
        }
    }

    record User(String id, String email, String displayName, boolean suspended, int activeKeys, int buckets,
            String createdAt) {}

    record Key(String accessKeyId, String userId, String userEmail, String state, String createdAt, String revokedAt) {}

    record Bucket(String name, String ownerId, String ownerEmail, String versioning, String createdAt) {}

    S3Commands(CliContext ctx) {
        super(ctx);
    }

    static String userPath(String user) {
        return USERS + "/" + segment(user);
    }

    /** The URLs clients use: path-style on each endpoint; virtual-hosted style puts the bucket in front. */
    static List<String> urls(Cluster c) {
        return c.endpoints().stream().flatMap(e -> {
            Stream.Builder<String> b = Stream.builder();
            if (c.httpsPort() != 0) {
                b.add("https://" + e + (c.httpsPort() == 443 ? "" : ":" + c.httpsPort()));
            }
            if (c.httpPort() != 0) {
                b.add("http://" + e + (c.httpPort() == 80 ? "" : ":" + c.httpPort()));
            }
            return b.build();
        }).toList();
    }

    static void printCluster(Cluster c, PrintWriter out) {
        out.println("nodes: " + String.join(", ", c.nodes().stream().map(Node::nodeName).toList()));
        out.println("storage policy: " + c.policy());
        out.println("endpoints: " + String.join(", ", c.endpoints()));
        out.println("protocol: " + c.protocol() + ports(c));
        out.println("URLs: " + String.join(", ", urls(c)));
        if (c.certificatePem() != null) {
            out.println("certificate: "
                    + (c.selfSignedCertificate() ? "self-signed by Keel" : "given by the administrator") + ", for "
                    + Format.list(c.certificateNames()) + ", expires " + Format.instant(c.certificateNotAfter()));
        }
        out.println("index shards: " + String.join(", ", c.indexShards()));
        out.println("created: " + Format.instant(c.createdAt()));
    }

    private static String ports(Cluster c) {
        StringBuilder sb = new StringBuilder(" (");
        if (c.httpPort() != 0) {
            sb.append("HTTP port ").append(c.httpPort());
        }
        if (c.httpsPort() != 0) {
            sb.append(c.httpPort() != 0 ? ", " : "").append("HTTPS port ").append(c.httpsPort());
        }
        return sb.append(')').toString();
    }

    /** Said whenever a self-signed certificate is in play: clients refuse it until told to trust it. */
    static void trustHint(Cluster c, PrintWriter out) {
        if (c.certificatePem() != null && c.selfSignedCertificate()) {
            out.println("The certificate is self-signed: clients must be told to trust it. Save it with"
                    + " 'keel s3 cluster show --certificate > keel-s3.pem' and give it to them"
                    + " (e.g. AWS_CA_BUNDLE=keel-s3.pem for the AWS CLI and SDKs).");
        }
    }

    static void printUsers(List<User> users, PrintWriter out) {
        Table t = new Table("EMAIL", "NAME", "ID", "STATE", "ACTIVE KEYS", "BUCKETS", "CREATED");
        users.forEach(u -> t.row(u.email(), u.displayName(), u.id(), u.suspended() ? "suspended" : "active",
                u.activeKeys(), u.buckets(), Format.instant(u.createdAt())));
        t.print(out);
    }

    static void printKeys(List<Key> keys, PrintWriter out, String indent) {
        Table t = new Table("ACCESS KEY ID", "USER", "STATE", "CREATED", "REVOKED");
        keys.forEach(k -> t.row(k.accessKeyId(), k.userEmail(), k.state().toLowerCase(Locale.ROOT),
                Format.instant(k.createdAt()), Format.instant(k.revokedAt())));
        t.print(out, indent);
    }
}
