package io.keel.meta.cluster;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Every change of cluster state is one of these, replicated through Raft and applied by
 * {@link ClusterLogic}. Times and generated ids travel inside the command so that applying it is
 * deterministic on every replica.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ClusterCommand.InitCluster.class, name = "InitCluster"),
    @JsonSubTypes.Type(value = ClusterCommand.RegisterNode.class, name = "RegisterNode"),
    @JsonSubTypes.Type(value = ClusterCommand.RotateJoinToken.class, name = "RotateJoinToken"),
    @JsonSubTypes.Type(value = ClusterCommand.UpdateInventory.class, name = "UpdateInventory"),
    @JsonSubTypes.Type(value = ClusterCommand.CreateStorageCluster.class, name = "CreateStorageCluster"),
    @JsonSubTypes.Type(value = ClusterCommand.JoinStorageCluster.class, name = "JoinStorageCluster"),
    @JsonSubTypes.Type(value = ClusterCommand.AssignDiskRole.class, name = "AssignDiskRole"),
    @JsonSubTypes.Type(value = ClusterCommand.CreateLocation.class, name = "CreateLocation"),
    @JsonSubTypes.Type(value = ClusterCommand.RenameLocation.class, name = "RenameLocation"),
    @JsonSubTypes.Type(value = ClusterCommand.DeleteLocation.class, name = "DeleteLocation"),
    @JsonSubTypes.Type(value = ClusterCommand.MoveNode.class, name = "MoveNode"),
    @JsonSubTypes.Type(value = ClusterCommand.SetMaintenance.class, name = "SetMaintenance"),
    @JsonSubTypes.Type(value = ClusterCommand.CreatePolicy.class, name = "CreatePolicy"),
    @JsonSubTypes.Type(value = ClusterCommand.DeletePolicy.class, name = "DeletePolicy"),
    @JsonSubTypes.Type(value = ClusterCommand.RegisterChunkService.class, name = "RegisterChunkService"),
    @JsonSubTypes.Type(value = ClusterCommand.CreateVolume.class, name = "CreateVolume"),
    @JsonSubTypes.Type(value = ClusterCommand.ExtendVolume.class, name = "ExtendVolume"),
    @JsonSubTypes.Type(value = ClusterCommand.SetVolumePolicy.class, name = "SetVolumePolicy"),
    @JsonSubTypes.Type(value = ClusterCommand.DeleteVolume.class, name = "DeleteVolume"),
    @JsonSubTypes.Type(value = ClusterCommand.AcquireLease.class, name = "AcquireLease"),
    @JsonSubTypes.Type(value = ClusterCommand.RenewLease.class, name = "RenewLease"),
    @JsonSubTypes.Type(value = ClusterCommand.ReleaseLease.class, name = "ReleaseLease"),
    @JsonSubTypes.Type(value = ClusterCommand.AllocateChunk.class, name = "AllocateChunk"),
    @JsonSubTypes.Type(value = ClusterCommand.DropReplica.class, name = "DropReplica"),
    @JsonSubTypes.Type(value = ClusterCommand.MarkChunkDirty.class, name = "MarkChunkDirty"),
    @JsonSubTypes.Type(value = ClusterCommand.AddReplica.class, name = "AddReplica"),
    @JsonSubTypes.Type(value = ClusterCommand.CopyChunk.class, name = "CopyChunk"),
    @JsonSubTypes.Type(value = ClusterCommand.CreateSnapshot.class, name = "CreateSnapshot"),
    @JsonSubTypes.Type(value = ClusterCommand.DeleteSnapshot.class, name = "DeleteSnapshot"),
    @JsonSubTypes.Type(value = ClusterCommand.RevertVolume.class, name = "RevertVolume"),
    @JsonSubTypes.Type(value = ClusterCommand.CloneVolume.class, name = "CloneVolume"),
    @JsonSubTypes.Type(value = ClusterCommand.ReleaseNode.class, name = "ReleaseNode"),
    @JsonSubTypes.Type(value = ClusterCommand.CancelRelease.class, name = "CancelRelease"),
    @JsonSubTypes.Type(value = ClusterCommand.CreateComputeCluster.class, name = "CreateComputeCluster"),
    @JsonSubTypes.Type(value = ClusterCommand.AddComputeNode.class, name = "AddComputeNode"),
    @JsonSubTypes.Type(value = ClusterCommand.RemoveComputeNode.class, name = "RemoveComputeNode"),
    @JsonSubTypes.Type(value = ClusterCommand.DeleteComputeCluster.class, name = "DeleteComputeCluster"),
    @JsonSubTypes.Type(value = ClusterCommand.CreateFlavor.class, name = "CreateFlavor"),
    @JsonSubTypes.Type(value = ClusterCommand.DeleteFlavor.class, name = "DeleteFlavor"),
    @JsonSubTypes.Type(value = ClusterCommand.CreateVm.class, name = "CreateVm"),
    @JsonSubTypes.Type(value = ClusterCommand.SetVmPower.class, name = "SetVmPower"),
    @JsonSubTypes.Type(value = ClusterCommand.RebootVm.class, name = "RebootVm"),
    @JsonSubTypes.Type(value = ClusterCommand.ReportVmStatus.class, name = "ReportVmStatus"),
    @JsonSubTypes.Type(value = ClusterCommand.RenameVm.class, name = "RenameVm"),
    @JsonSubTypes.Type(value = ClusterCommand.DeleteVm.class, name = "DeleteVm"),
    @JsonSubTypes.Type(value = ClusterCommand.ResizeVm.class, name = "ResizeVm"),
    @JsonSubTypes.Type(value = ClusterCommand.AttachVmVolume.class, name = "AttachVmVolume"),
    @JsonSubTypes.Type(value = ClusterCommand.CreateNetwork.class, name = "CreateNetwork"),
    @JsonSubTypes.Type(value = ClusterCommand.SetVmCdrom.class, name = "SetVmCdrom"),
    @JsonSubTypes.Type(value = ClusterCommand.DeleteNetwork.class, name = "DeleteNetwork"),
    @JsonSubTypes.Type(value = ClusterCommand.AttachVmNic.class, name = "AttachVmNic"),
    @JsonSubTypes.Type(value = ClusterCommand.DetachVmNic.class, name = "DetachVmNic"),
    @JsonSubTypes.Type(value = ClusterCommand.ReportVmNicDetached.class, name = "ReportVmNicDetached"),
    @JsonSubTypes.Type(value = ClusterCommand.DetachVmVolume.class, name = "DetachVmVolume"),
    @JsonSubTypes.Type(value = ClusterCommand.ReportVmDiskDetached.class, name = "ReportVmDiskDetached"),
    @JsonSubTypes.Type(value = ClusterCommand.CreateImage.class, name = "CreateImage"),
    @JsonSubTypes.Type(value = ClusterCommand.UpdateImageStatus.class, name = "UpdateImageStatus"),
    @JsonSubTypes.Type(value = ClusterCommand.DeleteImage.class, name = "DeleteImage"),
    @JsonSubTypes.Type(value = ClusterCommand.StartVmMigration.class, name = "StartVmMigration"),
    @JsonSubTypes.Type(value = ClusterCommand.ReportMigrationReady.class, name = "ReportMigrationReady"),
    @JsonSubTypes.Type(value = ClusterCommand.ReportMigrationProgress.class, name = "ReportMigrationProgress"),
    @JsonSubTypes.Type(value = ClusterCommand.CompleteVmMigration.class, name = "CompleteVmMigration"),
    @JsonSubTypes.Type(value = ClusterCommand.FinishVmMigration.class, name = "FinishVmMigration"),
    @JsonSubTypes.Type(value = ClusterCommand.FailVmMigration.class, name = "FailVmMigration"),
    @JsonSubTypes.Type(value = ClusterCommand.CancelVmMigration.class, name = "CancelVmMigration"),
    @JsonSubTypes.Type(value = ClusterCommand.RequestVmSnapshot.class, name = "RequestVmSnapshot"),
    @JsonSubTypes.Type(value = ClusterCommand.CreateVmSnapshot.class, name = "CreateVmSnapshot"),
    @JsonSubTypes.Type(value = ClusterCommand.FailVmSnapshot.class, name = "FailVmSnapshot"),
    @JsonSubTypes.Type(value = ClusterCommand.DeleteVmSnapshot.class, name = "DeleteVmSnapshot"),
    @JsonSubTypes.Type(value = ClusterCommand.RevertVm.class, name = "RevertVm"),
    @JsonSubTypes.Type(value = ClusterCommand.SuspendVm.class, name = "SuspendVm"),
    @JsonSubTypes.Type(value = ClusterCommand.ReportVmSuspendProgress.class, name = "ReportVmSuspendProgress"),
    @JsonSubTypes.Type(value = ClusterCommand.CompleteVmSuspend.class, name = "CompleteVmSuspend"),
    @JsonSubTypes.Type(value = ClusterCommand.FailVmSuspend.class, name = "FailVmSuspend"),
    @JsonSubTypes.Type(value = ClusterCommand.ResumeVm.class, name = "ResumeVm"),
    @JsonSubTypes.Type(value = ClusterCommand.FinishVmResume.class, name = "FinishVmResume"),
    @JsonSubTypes.Type(value = ClusterCommand.SaveHaStatus.class, name = "SaveHaStatus"),
    @JsonSubTypes.Type(value = ClusterCommand.ReportHa.class, name = "ReportHa"),
    @JsonSubTypes.Type(value = ClusterCommand.PlaceHaVm.class, name = "PlaceHaVm"),
    @JsonSubTypes.Type(value = ClusterCommand.AppendHaEvents.class, name = "AppendHaEvents"),
    @JsonSubTypes.Type(value = ClusterCommand.SetClusterVip.class, name = "SetClusterVip"),
    @JsonSubTypes.Type(value = IscsiCommand.CreateGroup.class, name = "CreateIscsiGroup"),
    @JsonSubTypes.Type(value = IscsiCommand.DeleteGroup.class, name = "DeleteIscsiGroup"),
    @JsonSubTypes.Type(value = IscsiCommand.SetAccess.class, name = "SetIscsiAccess"),
    @JsonSubTypes.Type(value = IscsiCommand.AttachLun.class, name = "AttachIscsiLun"),
    @JsonSubTypes.Type(value = IscsiCommand.DetachLun.class, name = "DetachIscsiLun"),
    @JsonSubTypes.Type(value = IscsiCommand.ReplaceReservation.class, name = "ReplaceIscsiReservation"),
    @JsonSubTypes.Type(value = ClusterCommand.SetVmPlacement.class, name = "SetVmPlacement"),
    @JsonSubTypes.Type(value = ClusterCommand.SetHaSettings.class, name = "SetHaSettings"),
    @JsonSubTypes.Type(value = ClusterCommand.SetNodeMode.class, name = "SetNodeMode"),
    @JsonSubTypes.Type(value = S3Command.CreateCluster.class, name = "CreateS3Cluster"),
    @JsonSubTypes.Type(value = S3Command.UpdateCluster.class, name = "UpdateS3Cluster"),
    @JsonSubTypes.Type(value = S3Command.DeleteCluster.class, name = "DeleteS3Cluster"),
    @JsonSubTypes.Type(value = S3Command.CreateUser.class, name = "CreateS3User"),
    @JsonSubTypes.Type(value = S3Command.DeleteUser.class, name = "DeleteS3User"),
    @JsonSubTypes.Type(value = S3Command.SuspendUser.class, name = "SuspendS3User"),
    @JsonSubTypes.Type(value = S3Command.ResumeUser.class, name = "ResumeS3User"),
    @JsonSubTypes.Type(value = S3Command.CreateAccessKey.class, name = "CreateS3AccessKey"),
    @JsonSubTypes.Type(value = S3Command.RevokeAccessKey.class, name = "RevokeS3AccessKey"),
    @JsonSubTypes.Type(value = S3Command.CreateBucket.class, name = "CreateS3Bucket"),
    @JsonSubTypes.Type(value = S3Command.DeleteBucket.class, name = "DeleteS3Bucket"),
    @JsonSubTypes.Type(value = S3Command.SetBucketVersioning.class, name = "SetS3BucketVersioning"),
    @JsonSubTypes.Type(value = S3Command.SetBucketSetting.class, name = "SetS3BucketSetting"),
})
public sealed interface ClusterCommand {

    /** First command of a new cluster, submitted by the bootstrapping node to its own group. */
    record InitCluster(
            String clusterId,
            Instant at,
            ClusterSecrets secrets,
            JoinToken joinToken,
            NodeRecord firstNode) implements ClusterCommand {}

    /** A node joins with {@code presentedToken}; refused unless it is the current unexpired token. */
    record RegisterNode(String presentedToken, Instant at, NodeRecord node) implements ClusterCommand {}

    /** Replaces the join token; the old one stops working at once. */
    record RotateJoinToken(JoinToken token) implements ClusterCommand {}

    record UpdateInventory(String nodeId, Inventory inventory) implements ClusterCommand {}

    /**
     * Creates the storage cluster over {@code nodeIds} with the given disk roles per node
     * (node id, then disk id, then role). The API layer fills in automatic roles before submitting.
     */
    record CreateStorageCluster(
            String name,
            Instant at,
            boolean encryption,
            List<String> nodeIds,
            Map<String, Map<String, DiskRole>> roles) implements ClusterCommand {}

    /** Adds an Unassigned node to the storage cluster with the given disk roles. */
    record JoinStorageCluster(String nodeId, Map<String, DiskRole> roles) implements ClusterCommand {}

    record AssignDiskRole(String nodeId, String diskId, DiskRole role) implements ClusterCommand {}

    record CreateLocation(String id, Location.Type locationType, String name, String parentId)
            implements ClusterCommand {}

    record RenameLocation(String id, String name) implements ClusterCommand {}

    record DeleteLocation(String id) implements ClusterCommand {}

    record MoveNode(String nodeId, String rackId) implements ClusterCommand {}

    record SetMaintenance(String nodeId, boolean maintenance) implements ClusterCommand {}

    /** Refused unless the cluster can place the policy's pieces on distinct failure domains now. */
    record CreatePolicy(StoragePolicy policy) implements ClusterCommand {}

    record DeletePolicy(String name) implements ClusterCommand {}

    /** A node started (or refreshed the figures of) the chunk service of one of its storage disks. */
    record RegisterChunkService(ChunkServiceInfo service) implements ClusterCommand {}

    /** {@code id} is generated by the API; {@code sizeBytes} a multiple of 4 KiB. */
    record CreateVolume(String id, String name, long sizeBytes, int chunkSize, String policy, Instant at)
            implements ClusterCommand {}

    /** Grows a volume; shrinking is refused because it would destroy data. */
    record ExtendVolume(String volumeId, long sizeBytes) implements ClusterCommand {}

    /** New chunks follow the new policy at once; existing ones are re-placed in the background. */
    record SetVolumePolicy(String volumeId, String policy) implements ClusterCommand {}

    /** Refused while a foreground writer holds an unexpired lease at {@code at}. */
    record DeleteVolume(String volumeId, Instant at) implements ClusterCommand {}

    /**
     * Grants the write lease with a new epoch (the result's entity id). Refused while another
     * holder's foreground lease is unexpired at {@code at}; a foreground request preempts a
     * background holder.
     */
    record AcquireLease(String volumeId, String holder, boolean background, Instant at, long ttlMillis)
            implements ClusterCommand {}

    record RenewLease(String volumeId, long epoch, Instant at, long ttlMillis) implements ClusterCommand {}

    record ReleaseLease(String volumeId, long epoch) implements ClusterCommand {}

    /** Records chunk {@code index} on {@code replicas} at version 1; only the lease holder may. */
    record AllocateChunk(String volumeId, long index, long epoch, List<ChunkReplica> replicas)
            implements ClusterCommand {}

    /** Removes a replica that failed a write; the version moves on so the copy is known stale. */
    record DropReplica(String volumeId, long index, long epoch, long expectedVersion, ChunkReplica replica)
            implements ClusterCommand {}

    /**
     * Marks chunk {@code index} of an erasure-coded volume as possibly holding torn stripes (its
     * writer is about to change fragments) or, with {@code dirty} false, as consistent again.
     */
    record MarkChunkDirty(String volumeId, long index, long epoch, boolean dirty) implements ClusterCommand {}

    /** Adds a replica whose data was copied from the others at {@code expectedVersion}. */
    record AddReplica(String volumeId, long index, long epoch, long expectedVersion, ChunkReplica replica)
            implements ClusterCommand {}

    /**
     * Points chunk {@code index}, until now shared under {@code expectedSource}, at a private copy
     * the writer made on {@code replicas} (copy-on-write after a snapshot or in a clone).
     */
    record CopyChunk(String volumeId, long index, long epoch, String expectedSource, List<ChunkReplica> replicas)
            implements ClusterCommand {}

    /**
     * Takes snapshot {@code snapshotId} (generated like a volume id) of volume {@code volumeId}: its
     * chunk map is copied and the volume's generation bumped, so the volume copies each shared
     * chunk before writing it. {@code epoch} is the lease epoch of the writer that quiesced its I/O
     * for the snapshot, or 0 when nobody has the volume open; refused while a foreground lease with
     * another epoch is live, since that writer could be in the middle of writing shared chunks.
     */
    record CreateSnapshot(String volumeId, String snapshotId, String name, long epoch, Instant at)
            implements ClusterCommand {}

    /** Removes a snapshot and its chunk map; chunk copies no map references are collected later. */
    record DeleteSnapshot(String snapshotId) implements ClusterCommand {}

    /**
     * Makes volume {@code volumeId} what it was at snapshot {@code snapshotId} (size included);
     * refused while a foreground writer holds a live lease.
     */
    record RevertVolume(String volumeId, String snapshotId, Instant at) implements ClusterCommand {}

    /**
     * Creates volume {@code cloneId} named {@code name} sharing every chunk of snapshot
     * {@code snapshotId}; a null {@code policy} keeps the snapshot's.
     */
    record CloneVolume(String snapshotId, String cloneId, String name, String policy, Instant at)
            implements ClusterCommand {}

    /**
     * Starts moving all data off a node. Refused when the cluster without the node could not
     * keep every policy that volumes use.
     */
    record ReleaseNode(String nodeId, Instant at) implements ClusterCommand {}

    record CancelRelease(String nodeId) implements ClusterCommand {}

    /**
     * Creates the compute cluster over {@code nodeIds}, which must be storage cluster nodes out of
     * maintenance (liveness is known only to nodes, so the API checks it before submitting), and
     * installs {@code defaultFlavors} whose names are free. The API fills in the defaults so that
     * what is installed travels in the log rather than in each replica's code.
     */
    record CreateComputeCluster(List<String> nodeIds, Instant at, List<Flavor> defaultFlavors)
            implements ClusterCommand {}

    record AddComputeNode(String nodeId) implements ClusterCommand {}

    /** Refused for the last node: deleting the compute cluster says what is meant. */
    record RemoveComputeNode(String nodeId) implements ClusterCommand {}

    /** Flavors stay: they are definitions, and a compute cluster created again uses them. */
    record DeleteComputeCluster() implements ClusterCommand {}

    record CreateFlavor(Flavor flavor) implements ClusterCommand {}

    record DeleteFlavor(String name) implements ClusterCommand {}

    /**
     * Records a VM on {@code nodeId} in state BUILD; the node's agent starts it when {@code power}
     * is RUNNING. The API picks the node (it knows which are alive). The volumes the VM gets made
     * for it, new empty ones and a boot disk cloned from an image's snapshot and grown to
     * {@code bootSizeBytes} if not null (either may be absent), are created by the same command, so a
     * refused VM leaves nothing behind.
     */
    record CreateVm(String id, String name, String flavor, int vcpus, int ramMiB, List<VmDiskRef> disks,
            String nodeId, VmPlacement placement, VmPower power, String imageId, List<CreateVolume> newVolumes,
            CloneVolume bootClone, Long bootSizeBytes, Instant at, List<VmNic> nics, String cdromImageId)
            implements ClusterCommand {
        /** A VM without NICs or CD. */
        public CreateVm(String id, String name, String flavor, int vcpus, int ramMiB, List<VmDiskRef> disks,
                String nodeId, VmPlacement placement, VmPower power, String imageId, List<CreateVolume> newVolumes,
                CloneVolume bootClone, Long bootSizeBytes, Instant at) {
            this(id, name, flavor, vcpus, ramMiB, disks, nodeId, placement, power, imageId, newVolumes, bootClone,
                    bootSizeBytes, at, List.of(), null);
        }
    }

    /** Start, stop or pause; {@code stopTimeoutSeconds} (0 = at once) applies to the next stop, null keeps it. */
    record SetVmPower(String vmId, VmPower power, Integer stopTimeoutSeconds) implements ClusterCommand {}

    record RebootVm(String vmId, boolean hard) implements ClusterCommand {}

    /** From the VM's host agent only; {@code adoptPower}, if not null, becomes the desired state. */
    record ReportVmStatus(String vmId, String nodeId, VmStatus status, String reason, VmPower adoptPower, Instant at)
            implements ClusterCommand {}

    record RenameVm(String vmId, String name) implements ClusterCommand {}

    record DeleteVm(String vmId) implements ClusterCommand {}

    /** A new size (the flavor's, copied) for a VM that is shut off; it must fit on the VM's node. */
    record ResizeVm(String vmId, String flavor, int vcpus, int ramMiB) implements ClusterCommand {}

    /**
     * Adds volume {@code volumeId} to a VM as its next disk, whether the VM runs or not (its host
     * plugs it into a running guest). With {@code newVolume} the volume is made by the same command
     * and belongs to the VM.
     */
    record AttachVmVolume(String vmId, String volumeId, CreateVolume newVolume) implements ClusterCommand {}

    /**
     * Takes a disk (not the boot disk) off a VM. A VM that may run keeps the disk, marked
     * detaching, until its host reports the guest let go of it ({@link ReportVmDiskDetached}).
     */
    record DetachVmVolume(String vmId, String volumeId) implements ClusterCommand {}

    /** Puts ISO image {@code imageId} in a VM's CD-ROM drive, or empties it (null), running or not (ADR 0025). */
    record SetVmCdrom(String vmId, String imageId) implements ClusterCommand {}

    /** A virtual network (ADR 0023); {@code bridge} names the nodes' Linux bridge for type BRIDGE. */
    record CreateNetwork(String name, NetworkType networkType, String bridge, Instant at) implements ClusterCommand {}

    /** Refused while a NIC is on it. */
    record DeleteNetwork(String name) implements ClusterCommand {}

    /** Adds a NIC on {@code network} with address {@code mac} (the API generates one) to a VM, running or not. */
    record AttachVmNic(String vmId, String network, String mac) implements ClusterCommand {}

    /** Takes a NIC off a VM; one that may run keeps it, detaching, until its host reports it unplugged. */
    record DetachVmNic(String vmId, String mac) implements ClusterCommand {}

    /** From the VM's host only: the guest device of a detaching NIC is gone. */
    record ReportVmNicDetached(String vmId, String nodeId, String mac) implements ClusterCommand {}

    /** From the VM's host only: the guest device of a detaching disk is gone. */
    record ReportVmDiskDetached(String vmId, String nodeId, String volumeId) implements ClusterCommand {}

    /**
     * Records image {@code id} (generated by the API like a volume id) as QUEUED, waiting for its
     * file. A null {@code format} is learnt from the file when it arrives.
     */
    record CreateImage(String id, String name, ImageFormat format, String osType, boolean shared, String policy,
            Instant at) implements ClusterCommand {}

    /**
     * What upload attempt {@code uploadId}, run by {@code node}, has reached. A new attempt starts
     * with status UPLOADING and an id not seen before; only the current attempt may report after
     * that, so two uploads of one image cannot interleave. The fields replace the stored ones.
     */
    record UpdateImageStatus(String imageId, String uploadId, String node, ImageStatus status, String statusReason,
            ImageFormat format, long sizeBytes, long virtualSizeBytes, String volumeId, String snapshotId,
            Instant at) implements ClusterCommand {}

    /**
     * Deletes the image with its golden snapshot and volume in one step. Refused while VMs are
     * cloned from the snapshot and while an upload is reporting progress.
     */
    record DeleteImage(String imageId, Instant at) implements ClusterCommand {}

    // Live migration (ADR 0019). Every step but start and cancel comes from the node whose part it is.

    /**
     * From the API: moves a running VM to {@code targetNodeId}; {@code migrationId} is fresh.
     * {@code maxBandwidth}: bytes per second the transfer may use, null for the default.
     */
    record StartVmMigration(String vmId, String migrationId, String targetNodeId, Instant at, Long maxBandwidth)
            implements ClusterCommand {
        public StartVmMigration(String vmId, String migrationId, String targetNodeId, Instant at) {
            this(vmId, migrationId, targetNodeId, at, null);
        }
    }

    /** From the target node: its QEMU waits for the state at {@code incoming} (host:port). */
    record ReportMigrationReady(String vmId, String migrationId, String nodeId, String incoming, Instant at)
            implements ClusterCommand {}

    /** From the source node, about once a second while RAM is sent. */
    record ReportMigrationProgress(String vmId, String migrationId, String nodeId, long ramTotalBytes,
            long ramTransferredBytes, long ramRemainingBytes, Instant at) implements ClusterCommand {}

    /**
     * From the source node once QEMU sent everything and its QEMU is gone (so its node let go of the
     * disks' write leases): the target becomes the VM's host.
     */
    record CompleteVmMigration(String vmId, String migrationId, String nodeId, Instant stoppedAt, Long downtimeMs,
            Instant at) implements ClusterCommand {}

    /** From the target node, now the host, once the guest runs there: the VM is ACTIVE again. */
    record FinishVmMigration(String vmId, String migrationId, String nodeId, Instant resumedAt, Instant at)
            implements ClusterCommand {}

    /** From the source or the target node: the migration ends and the VM stays on the source. */
    record FailVmMigration(String vmId, String migrationId, String nodeId, boolean cancelled, String reason,
            Instant at) implements ClusterCommand {}

    /** From the API: asks the source node to cancel; refused once the switch-over began. */
    record CancelVmMigration(String vmId, Instant at) implements ClusterCommand {}

    /**
     * Asks the host of a running (or paused) VM to take snapshot {@code snapshotId}: only its agent
     * can stop the guest's vCPUs and quiesce the disks (see {@link VmSnapshotRequest}). With memory,
     * {@code stateVolume} is the snapshot's state volume, created by this command (as SuspendVm's);
     * null for a disk-only snapshot.
     */
    record RequestVmSnapshot(String vmId, String snapshotId, String name, boolean withMemory, Instant at,
            CreateVolume stateVolume) implements ClusterCommand {}

    /**
     * Records VM snapshot {@code snapshotId} and, in the same step, one volume snapshot per VM disk
     * ({@code volumeSnapshots}, each named like the VM snapshot and checked as CreateSnapshot is), so
     * a refused one leaves no partial set. Removes the VM's request of that id. With memory, the
     * request's state volume holds {@code stateBytes} of machine state and passes to the snapshot.
     */
    record CreateVmSnapshot(String vmId, String snapshotId, String name, boolean withMemory,
            List<CreateSnapshot> volumeSnapshots, long pausedMillis, Instant at, long stateBytes)
            implements ClusterCommand {}

    /** From the VM's host only: the requested snapshot could not be taken, for {@code reason}; its state volume goes. */
    record FailVmSnapshot(String vmId, String snapshotId, String nodeId, String reason) implements ClusterCommand {}

    /** Removes a VM snapshot, its volume snapshots and its state volume. */
    record DeleteVmSnapshot(String snapshotId) implements ClusterCommand {}

    /**
     * Reverts every disk of a stopped VM to the VM snapshot (as RevertVolume does each), and sets
     * its desired power to RUNNING when {@code start}. A memory snapshot's state becomes the VM's
     * saved state, so its next start resumes the guest from it (ADR 0024).
     */
    record RevertVm(String vmId, String snapshotId, boolean start, Instant at) implements ClusterCommand {}

    // Suspend and resume (ADR 0021). The API asks, the VM's host carries it out and reports.

    /**
     * From the API: save the running or paused VM's state into {@code stateVolume} (created by this
     * command, so a refused suspend leaves nothing behind) and stop it; desired power SUSPENDED.
     */
    record SuspendVm(String vmId, CreateVolume stateVolume, Instant at) implements ClusterCommand {}

    /** From the VM's host while it saves the state: bytes written to the state volume so far. */
    record ReportVmSuspendProgress(String vmId, String nodeId, long stateBytes, Instant at) implements ClusterCommand {}

    /** From the VM's host: the whole state ({@code stateBytes}) is in the state volume; the VM is SUSPENDED. */
    record CompleteVmSuspend(String vmId, String nodeId, long stateBytes, long saveMillis, Instant at)
            implements ClusterCommand {}

    /**
     * From the VM's host: the state could not be saved; the state volume goes, the desired power
     * is what it was before, and the VM's status is {@code status} (the guest runs on) with the reason.
     */
    record FailVmSuspend(String vmId, String nodeId, VmStatus status, String reason, Instant at)
            implements ClusterCommand {}

    /** From the API: a suspended VM runs again from its saved state; desired power RUNNING. */
    record ResumeVm(String vmId, Instant at) implements ClusterCommand {}

    /** From the VM's host once the guest runs from its saved state: ACTIVE, the state volume is deleted. */
    record FinishVmResume(String vmId, String nodeId, long resumeMillis, Instant at) implements ClusterCommand {}

    // ---- high availability (ADR 0029) ---------------------------------------------------------

    /**
     * The HA manager's status after one step; refused unless the stored version is still
     * {@code expectedVersion}, so two managers (an old and a new leader's) never interleave.
     */
    record SaveHaStatus(long expectedVersion, io.keel.ha.ManagerStatus status, Instant at) implements ClusterCommand {}

    /** What a node's local resource manager saw, each report answering a manager decision (uid). */
    record ReportHa(String nodeId, List<io.keel.ha.LrmReport> reports) implements ClusterCommand {}

    /**
     * The local resource manager of {@code nodeId} starts a VM the HA status placed there under
     * decision {@code uid}: the VM's host becomes that node, whose VM agent then starts it.
     */
    record PlaceHaVm(String vmId, String nodeId, long uid) implements ClusterCommand {}

    /** Cluster events from the HA engine, kept newest last and bounded ({@link HaEventLog#MAX}). */
    record AppendHaEvents(List<HaEventRecord> events) implements ClusterCommand {}

    /** The "Manage placement" action: strategy, and the VM's own node for failover and pinned VMs. */
    record SetVmPlacement(String vmId, VmPlacement placement, String nodeId) implements ClusterCommand {}

    /**
     * The cluster's HA settings (ADR 0030); null leaves a value as it is. {@code relocation} is the
     * administrator's word ({@code drs}, {@code round-robin}), checked when applied.
     */
    record SetHaSettings(Boolean migrateBack, String relocation, Integer shutdownTimeoutSeconds)
            implements ClusterCommand {}

    /** A node enters or leaves maintenance, or begins a graceful shutdown (ADR 0030). */
    record SetNodeMode(String nodeId, io.keel.ha.NodeMode mode, Instant at) implements ClusterCommand {}
    /** Sets the management virtual IP (ADR 0031), or clears it when {@code vip} is null. */
    record SetClusterVip(ClusterVip vip) implements ClusterCommand {}

    /** iSCSI target groups (ADR 0033); the records are in {@link IscsiCommand}, to keep this file readable. */
    sealed interface Iscsi extends ClusterCommand permits IscsiCommand.CreateGroup, IscsiCommand.DeleteGroup,
            IscsiCommand.SetAccess, IscsiCommand.AttachLun, IscsiCommand.DetachLun, IscsiCommand.ReplaceReservation {}

    /** The S3 control plane (ADR 0039); the records are in {@link S3Command}. */
    sealed interface S3 extends ClusterCommand permits S3Command.CreateCluster, S3Command.UpdateCluster,
            S3Command.DeleteCluster, S3Command.CreateUser, S3Command.DeleteUser, S3Command.SuspendUser,
            S3Command.ResumeUser, S3Command.CreateAccessKey, S3Command.RevokeAccessKey, S3Command.CreateBucket,
            S3Command.DeleteBucket, S3Command.SetBucketVersioning, S3Command.SetBucketSetting {}
}
