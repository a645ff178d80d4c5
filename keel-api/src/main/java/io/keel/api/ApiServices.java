package io.keel.api;

import io.keel.api.console.ConsoleService;
import io.keel.api.console.NodeCredential;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What a node serves behind its API, one service per area. A node that does not serve an area
 * yet gets a stand-in whose every call answers 503 with the reason, so its routes still exist
 * and are documented.
 */
public record ApiServices(ClusterService cluster, VolumeService volumes, SnapshotService snapshots,
        ComputeService compute, ImageService images, VmService vms, ConsoleService consoles,
        NodeCredential nodeCredential, VmSnapshotService vmSnapshots, VmStatsService vmStats,
        VmDiskService vmDisks, NetworkService networks, HaService ha, IscsiService iscsi, S3Service s3,
        S3ObjectService s3Objects, MonitoringService monitoring) {
    public ApiServices {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(volumes, "volumes");
        Objects.requireNonNull(snapshots, "snapshots");
        Objects.requireNonNull(compute, "compute");
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(vms, "vms");
        Objects.requireNonNull(consoles, "consoles");
        Objects.requireNonNull(nodeCredential, "nodeCredential");
        Objects.requireNonNull(vmSnapshots, "vmSnapshots");
        Objects.requireNonNull(vmStats, "vmStats");
        Objects.requireNonNull(vmDisks, "vmDisks");
        Objects.requireNonNull(networks, "networks");
        Objects.requireNonNull(ha, "ha");
        Objects.requireNonNull(iscsi, "iscsi");
        Objects.requireNonNull(s3, "s3");
        Objects.requireNonNull(s3Objects, "s3Objects");
        Objects.requireNonNull(monitoring, "monitoring");
    }

    /** Only the cluster service; every other area answers 503. */
    public static ApiServices of(ClusterService cluster) {
        return new ApiServices(cluster, new UnservedVolumeService(), new UnservedSnapshotService(),
                Unserved.service(ComputeService.class, "compute is not served by this node"),
                Unserved.service(ImageService.class, "images are not served by this node"),
                Unserved.service(VmService.class, "VMs are not served by this node"),
                Unserved.service(ConsoleService.class, "VM consoles are not served by this node"),
                Unserved.service(NodeCredential.class, "this node has no credential to reach consoles on other nodes"),
                Unserved.service(VmSnapshotService.class, "VM snapshots are not served by this node"),
                Unserved.service(VmStatsService.class, "VM statistics are not served by this node"),
                Unserved.service(VmDiskService.class, "VM disks are not served by this node"),
                Unserved.service(NetworkService.class, "networks are not served by this node"),
                Unserved.service(HaService.class, "HA settings and maintenance are not served by this node"),
                Unserved.service(IscsiService.class, "iSCSI target groups are not served by this node"),
                Unserved.service(S3Service.class, "the S3 control plane is not served by this node"),
                Unserved.service(S3ObjectService.class, "S3 buckets and objects are not served by this node"),
                Unserved.service(MonitoringService.class, "monitoring history is not served by this node"));
    }

    public ApiServices withVolumes(VolumeService v) {
        return with(b -> b.volumes = v);
    }

    public ApiServices withSnapshots(SnapshotService s) {
        return with(b -> b.snapshots = s);
    }

    public ApiServices withCompute(ComputeService c) {
        return with(b -> b.compute = c);
    }

    public ApiServices withImages(ImageService i) {
        return with(b -> b.images = i);
    }

    public ApiServices withVms(VmService v) {
        return with(b -> b.vms = v);
    }

    /**
     * VM consoles: {@code service} finds a VM's console, {@code credential} is this node's own,
     * used to reach consoles of VMs on other nodes.
     */
    public ApiServices withConsoles(ConsoleService service, NodeCredential credential) {
        return with(b -> {
            b.consoles = service;
            b.nodeCredential = credential;
        });
    }

    public ApiServices withVmSnapshots(VmSnapshotService s) {
        return with(b -> b.vmSnapshots = s);
    }

    public ApiServices withVmStats(VmStatsService s) {
        return with(b -> b.vmStats = s);
    }

    public ApiServices withVmDisks(VmDiskService s) {
        return with(b -> b.vmDisks = s);
    }

    public ApiServices withNetworks(NetworkService s) {
        return with(b -> b.networks = s);
    }

    public ApiServices withHa(HaService s) {
        return with(b -> b.ha = s);
    }

    public ApiServices withIscsi(IscsiService s) {
        return with(b -> b.iscsi = s);
    }

    public ApiServices withS3(S3Service s) {
        return with(b -> b.s3 = s);
    }

    public ApiServices withS3Objects(S3ObjectService s) {
        return with(b -> b.s3Objects = s);
    }

    public ApiServices withMonitoring(MonitoringService m) {
        return with(b -> b.monitoring = m);
    }

    private ApiServices with(Consumer<Copy> change) {
        Copy c = new Copy(this);
        change.accept(c);
        return c.build();
    }

    /** A mutable copy that lives only inside {@link #with}, so each withX names just its own field. */
    private static final class Copy {
        private final ClusterService cluster;
        private VolumeService volumes;
        private SnapshotService snapshots;
        private ComputeService compute;
        private ImageService images;
        private VmService vms;
        private ConsoleService consoles;
        private NodeCredential nodeCredential;
        private VmSnapshotService vmSnapshots;
        private VmStatsService vmStats;
        private VmDiskService vmDisks;
        private NetworkService networks;
        private HaService ha;
        private IscsiService iscsi;
        private S3Service s3;
        private S3ObjectService s3Objects;
        private MonitoringService monitoring;

        Copy(ApiServices s) {
            cluster = s.cluster;
            volumes = s.volumes;
            snapshots = s.snapshots;
            compute = s.compute;
            images = s.images;
            vms = s.vms;
            consoles = s.consoles;
            nodeCredential = s.nodeCredential;
            vmSnapshots = s.vmSnapshots;
            vmStats = s.vmStats;
            vmDisks = s.vmDisks;
            networks = s.networks;
            ha = s.ha;
            iscsi = s.iscsi;
            s3 = s.s3;
            s3Objects = s.s3Objects;
            monitoring = s.monitoring;
        }

        ApiServices build() {
            return new ApiServices(cluster, volumes, snapshots, compute, images, vms, consoles, nodeCredential,
                    vmSnapshots, vmStats, vmDisks, networks, ha, iscsi, s3, s3Objects, monitoring);
        }
    }
}
