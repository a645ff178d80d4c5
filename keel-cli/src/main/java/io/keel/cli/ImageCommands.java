package io.keel.cli;

import static io.keel.cli.ApiClient.segment;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code keel image}: VM images uploaded from files. */
@Command(
        name = "image",
        description = "Manage VM images: QCOW2, raw and ISO files stored in Keel volumes.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {
            ImageCommands.Upload.class,
            ImageCommands.ListImages.class,
            ImageCommands.Show.class,
            ImageCommands.Delete.class
        })
final class ImageCommands extends KeelSubcommand.Group {
    record Image(String id, String name, String format, String osType, boolean shared, String status,
            String statusReason, long sizeBytes, long virtualSizeBytes, String volumeId, String volume,
            String snapshotId, String snapshot, String policy, String node, String createdAt, String updatedAt) {}

    record CreateImageRequest(String name, String format, String osType, Boolean shared, String policy) {}

    ImageCommands(CliContext ctx) {
        super(ctx);
    }

    @Command(name = "upload", description = {
        "Upload an image file: it is streamed to the node, checked with qemu-img and stored in a volume.",
        "Without --format, the format is read from the file's header (qcow2, ISO 9660, else raw).",
        "A refused upload (corrupt file, wrong format, no space) leaves nothing behind."})
    static final class Upload extends KeelSubcommand {
        @Parameters(paramLabel = "FILE", description = "The image file.")
        Path file;

        @Option(names = "--name", required = true, paramLabel = "NAME",
                description = "Image name: 1-57 Latin letters, digits, hyphens, dots, underscores.")
        String name;

        @Option(names = "--format", paramLabel = "FORMAT", description = "qcow2, raw or iso (default: from the file).")
        String format;

        @Option(names = "--os-type", paramLabel = "TYPE", description = "OS type tag, e.g. linux or windows"
                + " (default: linux).")
        String osType;

        @Option(names = "--shared", description = "Share the image with every project.")
        boolean shared;

        @Option(names = "--policy", paramLabel = "POLICY", description = "Storage policy of the image's volume"
                + " (default: the only one).")
        String policy;

        Upload(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                throw new CliException("cannot read " + file + ": not a readable file");
            }
            long size;
            String declared;
            try {
                size = Files.size(file);
                declared = format != null ? format : ImageFileFormat.detect(file);
            } catch (IOException e) {
                throw new CliException("cannot read " + file + ": " + e.getMessage(), e);
            }
            ApiClient api = ctx.api();
            // Name clashes and bad names are refused here, before a byte of the file is sent.
            Image created = ctx.read(api.post("/api/v1/images",
                    new CreateImageRequest(name, declared, osType, shared ? Boolean.TRUE : null, policy)), Image.class);
            UploadProgress progress = ctx.jsonOutput() ? null
                    : new UploadProgress(ctx.err(), ctx.clock(), file.getFileName().toString(), size);
            JsonNode answer;
            try {
                answer = api.putFile("/api/v1/images/" + segment(created.id()) + "/file", file,
                        progress == null ? n -> {} : progress::sent);
            } catch (CliException | ApiError e) {
                forget(api, created);
                throw e;
            }
            if (progress != null) {
                progress.done();
            }
            if (ctx.jsonOutput()) {
                ctx.printJson(answer);
                return KeelCli.OK;
            }
            Image i = ctx.read(answer, Image.class);
            out().println("Image " + i.name() + " is " + i.status() + ": " + i.format() + ", "
                    + Format.bytes(i.virtualSizeBytes()) + " disk, stored in volume " + i.volume() + ".");
            return KeelCli.OK;
        }

        /** A failed upload's record goes too, so the name can be used again; the reason was printed. */
        private void forget(ApiClient api, Image created) {
            try {
                api.delete("/api/v1/images/" + segment(created.id()));
            } catch (CliException | ApiError e) {
                ctx.err().println("warning: image " + created.name() + " was kept: " + e.getMessage());
            }
        }
    }

    @Command(name = "list", description = "List the images.")
    static final class ListImages extends KeelSubcommand {
        ListImages(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            JsonNode answer = ctx.api().get("/api/v1/images");
            if (ctx.jsonOutput()) {
                ctx.printJson(answer);
                return KeelCli.OK;
            }
            List<Image> images = ctx.readList(answer, Image.class);
            if (images.isEmpty()) {
                out().println("(no images)");
                return KeelCli.OK;
            }
            Table t = new Table("NAME", "STATUS", "FORMAT", "OS", "SIZE", "DISK SIZE", "SHARED", "VOLUME");
            images.forEach(i -> t.row(i.name(), i.status(), dash(i.format()), i.osType(), Format.bytes(i.sizeBytes()),
                    Format.bytes(i.virtualSizeBytes()), i.shared() ? "yes" : "no", dash(i.volume())));
            t.print(out());
            return KeelCli.OK;
        }
    }

    @Command(name = "show", description = "Show one image: status, progress, sizes, format, volume.")
    static final class Show extends KeelSubcommand {
        @Parameters(paramLabel = "IMAGE", description = "Image name or id.")
        String image;

        Show(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            JsonNode answer = ctx.api().get("/api/v1/images/" + segment(image));
            if (ctx.jsonOutput()) {
                ctx.printJson(answer);
                return KeelCli.OK;
            }
            Image i = ctx.read(answer, Image.class);
            out().println("name: " + i.name());
            out().println("id: " + i.id());
            out().println("status: " + i.status() + (i.statusReason() == null ? "" : " (" + i.statusReason() + ")"));
            out().println("format: " + dash(i.format()));
            out().println("os type: " + i.osType());
            out().println("shared: " + (i.shared() ? "yes" : "no"));
            out().println("uploaded: " + Format.bytes(i.sizeBytes()));
            out().println("disk size: " + Format.bytes(i.virtualSizeBytes()));
            out().println("volume: " + dash(i.volume()) + (i.snapshot() == null ? "" : " (snapshot " + i.snapshot() + ")"));
            out().println("policy: " + i.policy());
            out().println("node: " + dash(i.node()));
            out().println("created: " + i.createdAt());
            return KeelCli.OK;
        }
    }

    @Command(name = "delete", description = "Delete an image and its volume (refused while VM disks are cloned from it).")
    static final class Delete extends KeelSubcommand {
        @Parameters(paramLabel = "IMAGE", description = "Image name or id.")
        String image;

        @Option(names = "--yes", description = "Delete without asking.")
        boolean yes;

        Delete(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            if (!yes) {
                Confirmation.require(ctx, "Delete image " + image + " and its data? Type its name to confirm: ",
                        image, "image " + image + " not deleted");
            }
            ctx.api().delete("/api/v1/images/" + segment(image));
            if (!ctx.jsonOutput()) {
                out().println("Deleted image " + image + ".");
            }
            return KeelCli.OK;
        }
    }

    private static String dash(String s) {
        return s == null ? "-" : s;
    }
}
