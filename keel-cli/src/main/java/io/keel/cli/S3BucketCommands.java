package io.keel.cli;

import static io.keel.cli.S3Commands.BUCKETS;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.cli.S3Commands.Bucket;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;

/**
 * {@code keel s3 bucket list} and {@code sweep-lifecycle}: users create and delete buckets, and set
 * their lifecycle rules, through S3.
 */
@Command(
        name = "bucket",
        description = "Look at S3 buckets (users create and delete them through S3).",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {S3BucketCommands.ListBuckets.class, S3BucketCommands.SweepLifecycle.class})
final class S3BucketCommands extends KeelSubcommand.Group {
    S3BucketCommands(CliContext ctx) {
        super(ctx);
    }

    @Command(name = "list", description = "List every bucket with its owner, versioning and creation time.")
    static final class ListBuckets extends KeelSubcommand {
        ListBuckets(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            JsonNode answer = ctx.api().get(BUCKETS);
            if (ctx.jsonOutput()) {
                ctx.printJson(answer);
                return KeelCli.OK;
            }
            List<Bucket> buckets = ctx.readList(answer, Bucket.class);
            if (buckets.isEmpty()) {
                out().println("(no buckets)");
                return KeelCli.OK;
            }
            Table t = new Table("NAME", "OWNER", "VERSIONING", "CREATED");
            buckets.forEach(b -> t.row(b.name(), b.ownerEmail() == null ? b.ownerId() : b.ownerEmail(),
                    b.versioning().toLowerCase(Locale.ROOT), Format.instant(b.createdAt())));
            t.print(out());
            return KeelCli.OK;
        }
    }

    record Sweep(long buckets, long expired, long noncurrentRemoved, long uploadsAborted, long failedBuckets) {}

    @Command(name = "sweep-lifecycle", description = {"Apply every bucket's lifecycle rules now.",
            "The gateways apply them hourly; a sweep is idempotent, so running one beside that is harmless."})
    static final class SweepLifecycle extends KeelSubcommand {
        SweepLifecycle(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            JsonNode answer = ctx.api().post(S3Commands.BASE + "/lifecycle/sweep", null);
            if (ctx.jsonOutput()) {
                ctx.printJson(answer);
                return KeelCli.OK;
            }
            Sweep r = ctx.read(answer, Sweep.class);
            out().println("Swept " + r.buckets() + (r.buckets() == 1 ? " bucket" : " buckets") + " with lifecycle rules: "
                    + r.expired() + " objects expired, " + r.noncurrentRemoved() + " noncurrent versions removed, "
                    + r.uploadsAborted() + " multipart uploads aborted.");
            if (r.failedBuckets() > 0) {
                out().println(r.failedBuckets() + " buckets could not be swept (the node's log says why);"
                        + " the next sweep tries them again.");
            }
            return KeelCli.OK;
        }
    }
}
