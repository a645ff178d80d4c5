package io.keel.cli;

import static io.keel.cli.S3Commands.BUCKETS;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.cli.S3Commands.Bucket;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;

/** {@code keel s3 bucket list}: read-only; users create and delete buckets through S3. */
@Command(
        name = "bucket",
        description = "Look at S3 buckets (users create and delete them through S3).",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {S3BucketCommands.ListBuckets.class})
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
}
