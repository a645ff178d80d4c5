package io.keel.meta.cluster;

import io.keel.meta.store.KvReader;
import io.keel.meta.store.KvWriter;
import io.keel.meta.store.ReplicatedLogic;
import java.util.Objects;

/**
 * Applies {@link ClusterCommand}s to the cluster state. Each command is decoded, validated
 * completely against the current state while its writes are collected in a {@link Plan}, and
 * only then written: a rejected command writes nothing. Nothing here reads a clock, draws a
 * random number or does I/O beyond the {@link KvWriter}, and messages list things in sorted
 * order, so every replica computes the same writes and the same result bytes.
 *
 * <p>Applied results carry the id of what was created or changed: the cluster id (InitCluster),
 * the node id (RegisterNode, UpdateInventory, JoinStorageCluster, AssignDiskRole, MoveNode,
 * SetMaintenance), the token generation (RotateJoinToken), the storage cluster name
 * (CreateStorageCluster), the location id (location commands), the volume id (volume
 * commands, RevertVolume), the snapshot id (CreateSnapshot, DeleteSnapshot), the clone's id
 * (CloneVolume), the lease epoch (lease commands), the chunk's new version (chunk commands),
 * "compute" (CreateComputeCluster, DeleteComputeCluster), the network name (network commands), the node id (AddComputeNode,
 * RemoveComputeNode), the flavor name (flavor commands), the image id (image commands), the VM id
 * (VM, VM disk, migration and RevertVm commands) or the VM snapshot id (RequestVmSnapshot, CreateVmSnapshot,
 * FailVmSnapshot, DeleteVmSnapshot).
 * Rejection codes are listed in {@link RejectionCodes}.
 *
 * <p>An unexpected exception while validating (a bug, or corrupt stored state) is answered as an
 * "invalid" rejection saying so, instead of escaping: the failure is the same on every replica,
 * and throwing would stop all of them at the same log entry. Exceptions while writing do escape,
 * since those come from the store and may differ between replicas.
 */
public final class ClusterLogic implements ReplicatedLogic {
    private final ClusterCodec codec;
    private final NodeCommands nodes;
    private final StorageCommands storage;
    private final LocationCommands locations;
    private final PolicyCommands policies;
    private final VolumeCommands volumes;
    private final LeaseCommands leases;
    private final ChunkCommands chunks;
    private final ReleaseCommands releases;
    private final SnapshotCommands snapshots;
    private final ComputeCommands compute;
    private final FlavorCommands flavors;
    private final VmCommands vms;
    private final VmDiskCommands vmDisks;
    private final NetworkCommands networks;
    private final ImageCommands images;
    private final VmMigrationCommands migrations;
    private final VmSnapshotCommands vmSnapshots;
    private final VmSuspendCommands suspends;
    private final HaCommands ha;
    private final HaAdminCommands haAdmin;
    private final VipCommands vip;
    private final IscsiCommands iscsi;
    private final S3Commands s3;

    public ClusterLogic(ClusterCodec codec) {
        this.codec = Objects.requireNonNull(codec, "codec");
        this.nodes = new NodeCommands(codec);
        this.storage = new StorageCommands(codec);
        this.locations = new LocationCommands(codec);
        this.policies = new PolicyCommands(codec);
        this.volumes = new VolumeCommands(codec);
        this.leases = new LeaseCommands(codec);
        this.chunks = new ChunkCommands(codec);
        this.releases = new ReleaseCommands(codec);
        this.snapshots = new SnapshotCommands(codec);
        this.compute = new ComputeCommands(codec);
        this.flavors = new FlavorCommands(codec);
        this.vms = new VmCommands(codec, volumes, snapshots);
        this.vmDisks = new VmDiskCommands(codec, volumes);
        this.networks = new NetworkCommands(codec);
        this.images = new ImageCommands(codec);
        this.migrations = new VmMigrationCommands(codec);
        this.vmSnapshots = new VmSnapshotCommands(codec, snapshots, volumes);
        this.suspends = new VmSuspendCommands(codec, volumes);
        this.ha = new HaCommands(codec);
        this.haAdmin = new HaAdminCommands(codec);
        this.vip = new VipCommands(codec);
        this.iscsi = new IscsiCommands(codec);
        this.s3 = new S3Commands(codec);
    }

    public ClusterLogic() {
        this(new ClusterCodec());
    }

    @Override
    public byte[] apply(long index, byte[] command, KvWriter kv) {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(kv, "kv");
        ClusterCommand decoded;
        try {
            decoded = codec.decodeCommand(command);
        } catch (IllegalArgumentException e) {
            return codec.encodeResult(new CommandResult.Rejected(RejectionCodes.INVALID,
                    "the command could not be decoded: " + e.getMessage()));
        }
        Plan plan;
        try {
            plan = plan(decoded, new ClusterState(kv, codec));
        } catch (Rejection r) {
            return codec.encodeResult(r.result());
        } catch (RuntimeException e) {
            return codec.encodeResult(internalError(decoded, e));
        }
        // Outside the try: a failing write comes from the store and must not pass for a rejection.
        return codec.encodeResult(plan.applyTo(kv));
    }

    /**
     * What applying {@code command} to {@code state} would answer, without writing anything. Lets
     * the API refuse a doomed request at once; the answer can still change by the time the command
     * is applied, because other commands may commit first.
     */
    public CommandResult check(ClusterCommand command, KvReader state) {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(state, "state");
        try {
            return plan(command, new ClusterState(state, codec)).wouldApply();
        } catch (Rejection r) {
            return r.result();
        } catch (RuntimeException e) {
            return internalError(command, e);
        }
    }

    private static CommandResult.Rejected internalError(ClusterCommand command, RuntimeException e) {
        return new CommandResult.Rejected(RejectionCodes.INVALID, "internal error while validating "
                + command.getClass().getSimpleName() + " (" + e + "); nothing was changed."
                + " This is a bug in Keel or a corrupt metadata store: please report it");
    }

    private Plan plan(ClusterCommand command, ClusterState state) {
        // Exhaustive over the sealed interface: a new command does not compile until handled here.
        return switch (command) {
            case ClusterCommand.InitCluster c -> nodes.init(state, c);
            case ClusterCommand.RegisterNode c -> nodes.register(state, c);
            case ClusterCommand.RotateJoinToken c -> nodes.rotateToken(state, c);
            case ClusterCommand.UpdateInventory c -> nodes.updateInventory(state, c);
            case ClusterCommand.MoveNode c -> nodes.moveNode(state, c);
            case ClusterCommand.SetMaintenance c -> nodes.setMaintenance(state, c);
            case ClusterCommand.CreateStorageCluster c -> storage.create(state, c);
            case ClusterCommand.JoinStorageCluster c -> storage.join(state, c);
            case ClusterCommand.AssignDiskRole c -> storage.assignRole(state, c);
            case ClusterCommand.CreateLocation c -> locations.create(state, c);
            case ClusterCommand.RenameLocation c -> locations.rename(state, c);
            case ClusterCommand.DeleteLocation c -> locations.delete(state, c);
            case ClusterCommand.CreatePolicy c -> policies.create(state, c);
            case ClusterCommand.DeletePolicy c -> policies.delete(state, c);
            case ClusterCommand.RegisterChunkService c -> volumes.registerChunkService(state, c);
            case ClusterCommand.CreateVolume c -> volumes.create(state, c);
            case ClusterCommand.ExtendVolume c -> volumes.extend(state, c);
            case ClusterCommand.SetVolumePolicy c -> volumes.setPolicy(state, c);
            case ClusterCommand.DeleteVolume c -> volumes.delete(state, c);
            case ClusterCommand.SaveHaStatus c -> ha.save(state, c);
            case ClusterCommand.ReportHa c -> ha.report(state, c);
            case ClusterCommand.PlaceHaVm c -> ha.place(state, c);
            case ClusterCommand.AppendHaEvents c -> ha.events(state, c);
            case ClusterCommand.SetClusterVip c -> vip.set(state, c);
            case ClusterCommand.Iscsi c -> iscsi.plan(state, c);
            case ClusterCommand.S3 c -> s3.plan(state, c);
            case ClusterCommand.SetVmPlacement c -> ha.placement(state, c);
            case ClusterCommand.SetHaSettings c -> haAdmin.settings(state, c);
            case ClusterCommand.SetNodeMode c -> haAdmin.mode(state, c);
            case ClusterCommand.AcquireLease c -> leases.acquire(state, c);
            case ClusterCommand.RenewLease c -> leases.renew(state, c);
            case ClusterCommand.ReleaseLease c -> leases.release(state, c);
            case ClusterCommand.AllocateChunk c -> chunks.allocate(state, c);
            case ClusterCommand.DropReplica c -> chunks.drop(state, c);
            case ClusterCommand.MarkChunkDirty c -> chunks.markDirty(state, c);
            case ClusterCommand.AddReplica c -> chunks.add(state, c);
            case ClusterCommand.CopyChunk c -> chunks.copy(state, c);
            case ClusterCommand.CreateSnapshot c -> snapshots.create(state, c);
            case ClusterCommand.DeleteSnapshot c -> snapshots.delete(state, c);
            case ClusterCommand.RevertVolume c -> snapshots.revert(state, c);
            case ClusterCommand.CloneVolume c -> snapshots.cloneVolume(state, c);
            case ClusterCommand.ReleaseNode c -> releases.release(state, c);
            case ClusterCommand.CancelRelease c -> releases.cancel(state, c);
            case ClusterCommand.CreateComputeCluster c -> compute.create(state, c);
            case ClusterCommand.AddComputeNode c -> compute.addNode(state, c);
            case ClusterCommand.RemoveComputeNode c -> compute.removeNode(state, c);
            case ClusterCommand.DeleteComputeCluster c -> compute.delete(state, c);
            case ClusterCommand.CreateFlavor c -> flavors.create(state, c);
            case ClusterCommand.DeleteFlavor c -> flavors.delete(state, c);
            case ClusterCommand.CreateVm c -> vms.create(state, c);
            case ClusterCommand.SetVmPower c -> vms.setPower(state, c);
            case ClusterCommand.RebootVm c -> vms.reboot(state, c);
            case ClusterCommand.ReportVmStatus c -> vms.report(state, c);
            case ClusterCommand.RenameVm c -> vms.rename(state, c);
            case ClusterCommand.DeleteVm c -> vms.delete(state, c);
            case ClusterCommand.ResizeVm c -> vms.resize(state, c);
            case ClusterCommand.AttachVmVolume c -> vmDisks.attach(state, c);
            case ClusterCommand.CreateNetwork c -> networks.create(state, c);
            case ClusterCommand.SetVmCdrom c -> vmDisks.setCdrom(state, c);
            case ClusterCommand.DeleteNetwork c -> networks.delete(state, c);
            case ClusterCommand.AttachVmNic c -> networks.attach(state, c);
            case ClusterCommand.DetachVmNic c -> networks.detach(state, c);
            case ClusterCommand.ReportVmNicDetached c -> networks.detached(state, c);
            case ClusterCommand.DetachVmVolume c -> vmDisks.detach(state, c);
            case ClusterCommand.ReportVmDiskDetached c -> vmDisks.detached(state, c);
            case ClusterCommand.CreateImage c -> images.create(state, c);
            case ClusterCommand.UpdateImageStatus c -> images.update(state, c);
            case ClusterCommand.DeleteImage c -> images.delete(state, c);
            case ClusterCommand.StartVmMigration c -> migrations.start(state, c);
            case ClusterCommand.ReportMigrationReady c -> migrations.ready(state, c);
            case ClusterCommand.ReportMigrationProgress c -> migrations.progress(state, c);
            case ClusterCommand.CompleteVmMigration c -> migrations.complete(state, c);
            case ClusterCommand.FinishVmMigration c -> migrations.finish(state, c);
            case ClusterCommand.FailVmMigration c -> migrations.fail(state, c);
            case ClusterCommand.CancelVmMigration c -> migrations.cancel(state, c);
            case ClusterCommand.RequestVmSnapshot c -> vmSnapshots.request(state, c);
            case ClusterCommand.CreateVmSnapshot c -> vmSnapshots.create(state, c);
            case ClusterCommand.FailVmSnapshot c -> vmSnapshots.fail(state, c);
            case ClusterCommand.DeleteVmSnapshot c -> vmSnapshots.delete(state, c);
            case ClusterCommand.RevertVm c -> vmSnapshots.revert(state, c);
            case ClusterCommand.SuspendVm c -> suspends.suspend(state, c);
            case ClusterCommand.ReportVmSuspendProgress c -> suspends.progress(state, c);
            case ClusterCommand.CompleteVmSuspend c -> suspends.complete(state, c);
            case ClusterCommand.FailVmSuspend c -> suspends.fail(state, c);
            case ClusterCommand.ResumeVm c -> suspends.resume(state, c);
            case ClusterCommand.FinishVmResume c -> suspends.finishResume(state, c);
        };
    }
}
