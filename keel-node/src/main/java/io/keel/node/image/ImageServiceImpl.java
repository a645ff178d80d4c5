package io.keel.node.image;

import io.keel.api.ApiException;
import io.keel.api.ImageService;
import io.keel.api.dto.CreateImageRequest;
import io.keel.api.dto.ImageView;
import io.keel.meta.cluster.ClusterCommand;
import io.keel.meta.cluster.ClusterState;
import io.keel.meta.cluster.Image;
import io.keel.meta.cluster.ImageFormat;
import io.keel.meta.cluster.NodeRecord;
import io.keel.meta.cluster.StoragePolicy;
import io.keel.meta.cluster.Volume;
import io.keel.node.service.MetaGateway;
import io.keel.node.service.SnapshotServiceImpl;
import io.keel.node.service.VolumeServiceImpl;
import java.net.InetSocketAddress;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Images through the metadata service. The record and its rules are replicated (names, one upload
 * at a time, what an ACTIVE image must name); the file is this node's work: it is staged on the
 * node's data disk, checked and written into the image's volume by {@link ImagePipeline}, and the
 * request answers when that is done. A failed upload leaves the image in ERROR with the reason
 * and nothing else behind.
 */
public final class ImageServiceImpl implements ImageService {
    private static final Logger log = LoggerFactory.getLogger(ImageServiceImpl.class);
    static final String DEFAULT_OS_TYPE = "linux";

    private final String selfId;
    private final MetaGateway meta;
    private final StagingArea staging;
    private final ImagePipeline pipeline;
    private final Clock clock;
    private final SecureRandom random;

    /**
     * The service of one node: uploads are staged under {@code stagingDir} keeping
     * {@code reserveBytes} free there, and written through the node's NBD server at {@code nbd}
     * (empty while the volume layer is not up, or when NBD is turned off).
     */
    public static ImageServiceImpl forNode(String selfId, MetaGateway meta, VolumeServiceImpl volumes,
            SnapshotServiceImpl snapshots, Path stagingDir, long reserveBytes,
            Supplier<Optional<InetSocketAddress>> nbd, Clock clock, SecureRandom random) {
        return new ImageServiceImpl(selfId, meta, new StagingArea(stagingDir, reserveBytes),
                new ImagePipeline(QemuImg.standard(), volumes, snapshots, meta, nbd), clock, random);
    }

    ImageServiceImpl(String selfId, MetaGateway meta, StagingArea staging, ImagePipeline pipeline, Clock clock,
            SecureRandom random) {
        this.selfId = Objects.requireNonNull(selfId, "selfId");
        this.meta = Objects.requireNonNull(meta, "meta");
        this.staging = Objects.requireNonNull(staging, "staging");
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    @Override
    public List<ImageView> list() {
        ClusterState s = meta.state();
        return s.images().stream().sorted(Comparator.comparing(Image::name)).map(i -> view(s, i)).toList();
    }

    @Override
    public ImageView get(String image) {
        ClusterState s = meta.state();
        return view(s, image(s, image));
    }

    @Override
    public ImageView create(CreateImageRequest request) {
        if (request == null || request.name() == null || request.name().isBlank()) {
            throw ApiException.invalid("an image needs a name");
        }
        ImageFormat format = null;
        if (request.format() != null && !request.format().isBlank()) {
            format = ImageFormat.parse(request.format()).orElseThrow(() -> ApiException.invalid("format must be"
                    + " qcow2, raw or iso, got \"" + request.format() + "\""));
        }
        String osType = request.osType() == null || request.osType().isBlank() ? DEFAULT_OS_TYPE
                : request.osType().toLowerCase(Locale.ROOT);
        String policy = request.policy() == null || request.policy().isBlank() ? onlyPolicy() : request.policy();
        String id = "i" + HexFormat.of().toHexDigits(random.nextLong()).substring(1);
        meta.submit(new ClusterCommand.CreateImage(id, request.name(), format, osType,
                Boolean.TRUE.equals(request.shared()), policy, clock.instant()));
        return get(id);
    }

    @Override
    public ImageView upload(String image, InputStream body, long contentLength) {
        Objects.requireNonNull(body, "body");
        Image i = image(meta.state(), image);
        String uploadId = "u" + HexFormat.of().toHexDigits(random.nextLong()).substring(1);
        if (contentLength >= 0) {
            // A file that cannot fit is refused before the image is touched, so it stays as it was.
            try {
                staging.checkSpace(contentLength);
            } catch (ImageFileException e) {
                throw toApi(e);
            }
        }
        UploadReport report = new UploadReport(meta::submit, clock, i.id(), uploadId, selfId, i.format());
        // Refused here (409) while another upload is alive or the image is ACTIVE, before a byte is read.
        report.start();
        Path file = null;
        long started = System.nanoTime();
        try {
            file = staging.receive(i.id() + "-" + uploadId, body, contentLength, report::received);
            long size = Files.size(file);
            double receivedSecs = (System.nanoTime() - started) / 1e9;
            pipeline.store(i, file, size, report);
            log.info("image {} is ACTIVE: {} bytes received in {} s, stored in {} s in total", i.name(), size,
                    String.format(Locale.ROOT, "%.1f", receivedSecs),
                    String.format(Locale.ROOT, "%.1f", (System.nanoTime() - started) / 1e9));
            return get(i.id());
        } catch (ImageFileException e) {
            log.warn("upload of image {} failed: {}", i.name(), e.getMessage());
            report.error(e.getMessage());
            throw toApi(e);
        } catch (IOException | RuntimeException e) {
            log.warn("upload of image {} failed", i.name(), e);
            report.error("the upload failed on node " + selfId + ": " + e.getMessage());
            throw e instanceof ApiException api ? api : new ApiException(500, "internal", "the upload failed: " + e);
        } finally {
            if (file != null) {
                StagingArea.deleteQuietly(file);
            }
        }
    }

    private static ApiException toApi(ImageFileException e) {
        return switch (e.kind()) {
            case INVALID -> ApiException.invalid(e.getMessage());
            case NO_SPACE -> new ApiException(507, "insufficient_storage", e.getMessage());
            case FAILED -> new ApiException(500, "internal", e.getMessage());
        };
    }

    @Override
    public void delete(String image) {
        meta.submit(new ClusterCommand.DeleteImage(image(meta.state(), image).id(), clock.instant()));
    }

    private String onlyPolicy() {
        // Images are cloned from, and clones of erasure-coded chunks are not supported.
        List<StoragePolicy> all = meta.state().policies().stream().filter(p -> !p.erasureCoded()).toList();
        if (all.size() == 1) {
            return all.getFirst().name();
        }
        throw ApiException.invalid(all.isEmpty()
                ? "the cluster has no replicated storage policy yet: create one with 'keel policy create'"
                : "the cluster has " + all.size() + " storage policies: name the image's with --policy");
    }

    private static Image image(ClusterState s, String idOrName) {
        return s.imageByIdOrName(Objects.requireNonNull(idOrName, "image"))
                .orElseThrow(() -> ApiException.notFound("no image '" + idOrName + "'"));
    }

    static ImageView view(ClusterState s, Image i) {
        Optional<Volume> volume = Optional.ofNullable(i.volumeId()).flatMap(s::volume);
        Optional<Volume> snapshot = Optional.ofNullable(i.snapshotId()).flatMap(s::volume);
        String node = i.node() == null ? null : s.node(i.node()).map(NodeRecord::name).orElse(i.node());
        return new ImageView(i.id(), i.name(), i.format() == null ? null : i.format().label(), i.osType(), i.shared(),
                i.status().name(), i.statusReason(), i.sizeBytes(), i.virtualSizeBytes(), i.volumeId(),
                volume.map(Volume::name).orElse(null), i.snapshotId(), snapshot.map(Volume::name).orElse(null),
                i.policy(), node, i.createdAt().toString(), i.updatedAt().toString());
    }
}
