package io.keel.node.service;

import io.keel.api.ApiException;
import io.keel.api.Sizes;
import io.keel.api.VmDiskService;
import io.keel.api.dto.AttachVolumeRequest;
import io.keel.api.dto.CdromRequest;
import io.keel.api.dto.VmView;
import io.keel.meta.cluster.ClusterCommand;
import io.keel.meta.cluster.ClusterState;
import io.keel.meta.cluster.Vm;
import io.keel.meta.cluster.Volume;
import io.keel.meta.cluster.VolumeCommands;
import java.time.Clock;
import java.util.Objects;

/**
 * VM disk attach and detach over the metadata (ADR 0022): the record changes here, the VM's host
 * plugs and unplugs the guest devices, and this service waits (bounded) for the outcome.
 */
public final class VmDiskServiceImpl implements VmDiskService {
    private final MetaGateway meta;
    private final VmServiceImpl vms;
    private final VolumeServiceImpl volumes;
    private final Clock clock;

    public VmDiskServiceImpl(MetaGateway meta, VmServiceImpl vms, VolumeServiceImpl volumes, Clock clock) {
        this.meta = Objects.requireNonNull(meta, "meta");
        this.vms = Objects.requireNonNull(vms, "vms");
        this.volumes = Objects.requireNonNull(volumes, "volumes");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public VmView attach(String vm, AttachVolumeRequest r) {
        if (r == null || (r.volume() == null) == (r.size() == null)) {
            throw ApiException.invalid("attach an existing volume (volume) or a new one (size, and optionally"
                    + " policy): give exactly one of volume and size");
        }
        if (r.volume() != null && r.policy() != null) {
            throw ApiException.invalid("policy applies to a new volume; an existing one keeps its own"
                    + " (change it with 'keel volume set-policy')");
        }
        int seconds = VmServiceImpl.wait(r.waitSeconds());
        ClusterState s = meta.state();
        Vm v = VmServiceImpl.vm(s, vm);
        ClusterCommand.AttachVmVolume command;
        String volumeId;
        if (r.volume() != null) {
            Volume existing = s.volumeByIdOrName(r.volume())
                    .orElseThrow(() -> ApiException.notFound("no volume '" + r.volume() + "'"));
            volumeId = existing.id();
            command = new ClusterCommand.AttachVmVolume(v.id(), volumeId, null);
        } else {
            long size = Sizes.parse("size", r.size());
            String policy = r.policy() != null ? r.policy() : volumes.onlyPolicy();
            volumeId = vms.newId("v");
            command = new ClusterCommand.AttachVmVolume(v.id(), volumeId, new ClusterCommand.CreateVolume(volumeId,
                    freeName(s, v.name()), size, VolumeCommands.DEFAULT_CHUNK, policy, clock.instant()));
        }
        meta.submit(command);
        return vms.await(v.id(), seconds, x -> x.uses(volumeId));
    }

    @Override
    public VmView detach(String vm, String volume, Integer waitSeconds) {
        int seconds = VmServiceImpl.wait(waitSeconds);
        ClusterState s = meta.state();
        Vm v = VmServiceImpl.vm(s, vm);
        String volumeId = s.volumeByIdOrName(Objects.requireNonNull(volume, "volume")).map(Volume::id)
                .orElseThrow(() -> ApiException.notFound("no volume '" + volume + "'"));
        meta.submit(new ClusterCommand.DetachVmVolume(v.id(), volumeId));
        return vms.await(v.id(), seconds, x -> !x.uses(volumeId));
    }

    @Override
    public VmView insertCdrom(String vm, CdromRequest r) {
        if (r == null || r.image() == null || r.image().isBlank()) {
            throw ApiException.invalid("the ISO image to insert is required: list them with 'keel image list'");
        }
        ClusterState s = meta.state();
        Vm v = VmServiceImpl.vm(s, vm);
        String imageId = s.imageByIdOrName(r.image()).map(i -> i.id())
                .orElseThrow(() -> ApiException.notFound("no image '" + r.image() + "'"));
        meta.submit(new ClusterCommand.SetVmCdrom(v.id(), imageId));
        return vms.get(v.id());
    }

    @Override
    public VmView ejectCdrom(String vm) {
        Vm v = VmServiceImpl.vm(meta.state(), vm);
        meta.submit(new ClusterCommand.SetVmCdrom(v.id(), null));
        return vms.get(v.id());
    }

    /** {@code VM-diskN} with the lowest N no volume has: the names CreateVm gives, continued. */
    private static String freeName(ClusterState s, String vmName) {
        for (int n = 1; ; n++) {
            String name = vmName + "-disk" + n;
            if (s.volumeByIdOrName(name).isEmpty()) {
                return name;
            }
        }
    }
}
