import type { ApiClient } from './client';
import type {
  ClusterEventsView,
  ClusterView,
  ComputeClusterView,
  ConsoleTicketView,
  CreateIscsiGroupRequest,
  CreateImageRequest,
  CreatePolicyRequest,
  CreateS3ClusterRequest,
  CreateVmRequest,
  CreateVolumeRequest,
  DiskRoleRequest,
  DiskView,
  FlavorView,
  ImageView,
  IscsiAccessRequest,
  IscsiGroupView,
  IscsiLunView,
  JoinTokenView,
  LocationType,
  LocationView,
  MaintenancePlanView,
  MonitoringHistoryView,
  MonitoringRange,
  NewS3AccessKeyView,
  NodeView,
  Placement,
  PolicyView,
  S3AccessKeyView,
  S3BucketView,
  S3ClusterView,
  S3ObjectListView,
  S3PutObjectView,
  S3UsageView,
  S3UserView,
  SnapshotView,
  StorageHealthView,
  VmSnapshotView,
  VmStatsView,
  VmView,
  VolumeView,
} from './types';

const seg = encodeURIComponent;

/** Query string of the defined values, with a leading "?" when there is one. */
export function query(params: Record<string, string | number | boolean | null | undefined>): string {
  const parts = Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

/** The endpoints the screens use, typed; paths as in keel-api's openapi.json. */
export function keelApi(client: ApiClient) {
  const objectPath = (bucket: string, key: string) => `/api/v1/s3/buckets/${seg(bucket)}/object${query({ key })}`;
  return {
    cluster: () => client.get<ClusterView>('/api/v1/cluster'),
    createStorageCluster: (name: string, nodes: string[]) =>
      client.post<ClusterView>('/api/v1/cluster', { name, nodes }),
    joinStorageCluster: (node: string) => client.post<NodeView>(`/api/v1/nodes/${seg(node)}/join-cluster`, {}),
    nodes: () => client.get<NodeView[]>('/api/v1/nodes'),
    node: (node: string) => client.get<NodeView>(`/api/v1/nodes/${seg(node)}`),
    nodeDisks: (node: string) => client.get<DiskView[]>(`/api/v1/nodes/${seg(node)}/disks`),
    setDiskRole: (node: string, disk: string, request: DiskRoleRequest) =>
      client.put<DiskView>(`/api/v1/nodes/${seg(node)}/disks/${seg(disk)}/role`, request),
    moveNode: (node: string, rack: string) => client.put<NodeView>(`/api/v1/nodes/${seg(node)}/location`, { rack }),
    releaseNode: (node: string) => client.post<NodeView>(`/api/v1/nodes/${seg(node)}/release`),
    stopReleaseNode: (node: string) => client.delete<NodeView>(`/api/v1/nodes/${seg(node)}/release`),
    joinToken: () => client.get<JoinTokenView>('/api/v1/join-token'),
    maintenancePlan: (node: string) =>
      client.get<MaintenancePlanView>(`/api/v1/nodes/${seg(node)}/maintenance/plan`),
    enterMaintenance: (node: string) =>
      client.post<MaintenancePlanView>(`/api/v1/nodes/${seg(node)}/maintenance`),
    leaveMaintenance: (node: string) =>
      client.delete<MaintenancePlanView>(`/api/v1/nodes/${seg(node)}/maintenance`),

    locations: () => client.get<LocationView[]>('/api/v1/locations'),
    createLocation: (type: LocationType, name: string, parent?: string) =>
      client.post<LocationView>('/api/v1/locations', { type, name, parent: parent || undefined }),
    deleteLocation: (id: string) => client.delete<unknown>(`/api/v1/locations/${seg(id)}`),

    policies: () => client.get<PolicyView[]>('/api/v1/policies'),
    createPolicy: (request: CreatePolicyRequest) => client.post<PolicyView>('/api/v1/policies', request),
    deletePolicy: (name: string) => client.delete<unknown>(`/api/v1/policies/${seg(name)}`),

    volumes: () => client.get<VolumeView[]>('/api/v1/volumes'),
    createVolume: (request: CreateVolumeRequest) => client.post<VolumeView>('/api/v1/volumes', request),
    extendVolume: (volume: string, size: string) =>
      client.post<VolumeView>(`/api/v1/volumes/${seg(volume)}/extend`, { size }),
    deleteVolume: (volume: string) => client.delete<unknown>(`/api/v1/volumes/${seg(volume)}`),
    volumeSnapshots: (volume: string) => client.get<SnapshotView[]>(`/api/v1/volumes/${seg(volume)}/snapshots`),
    createVolumeSnapshot: (volume: string, name: string) =>
      client.post<SnapshotView>(`/api/v1/volumes/${seg(volume)}/snapshots`, { name }),
    deleteVolumeSnapshot: (volume: string, snapshot: string) =>
      client.delete<unknown>(`/api/v1/volumes/${seg(volume)}/snapshots/${seg(snapshot)}`),
    revertVolumeSnapshot: (volume: string, snapshot: string) =>
      client.post<VolumeView>(`/api/v1/volumes/${seg(volume)}/snapshots/${seg(snapshot)}/revert`),
    cloneVolumeSnapshot: (volume: string, snapshot: string, name: string, policy?: string) =>
      client.post<VolumeView>(`/api/v1/volumes/${seg(volume)}/snapshots/${seg(snapshot)}/clone`, {
        name,
        policy: policy || undefined,
      }),

    events: () => client.get<ClusterEventsView>('/api/v1/events'),
    monitoringHistory: (range: MonitoringRange) =>
      client.get<MonitoringHistoryView>(`/api/v1/monitoring/history${query({ range })}`),
    storageHealth: () => client.get<StorageHealthView>('/api/v1/storage/health'),

    compute: () => client.get<ComputeClusterView>('/api/v1/compute'),
    createCompute: (nodes: string[]) => client.post<ComputeClusterView>('/api/v1/compute', { nodes }),

    vms: () => client.get<VmView[]>('/api/v1/vms'),
    vm: (vm: string) => client.get<VmView>(`/api/v1/vms/${seg(vm)}`),
    createVm: (request: CreateVmRequest) => client.post<VmView>('/api/v1/vms', request),
    deleteVm: (vm: string, deleteVolumes: boolean) =>
      client.delete<unknown>(`/api/v1/vms/${seg(vm)}${query({ deleteVolumes })}`),
    // waitSeconds 0: answer at once; the list's polling shows the VM getting there.
    startVm: (vm: string) => client.post<VmView>(`/api/v1/vms/${seg(vm)}/start`, { waitSeconds: 0 }),
    stopVm: (vm: string, force = false) =>
      client.post<VmView>(`/api/v1/vms/${seg(vm)}/stop`, { waitSeconds: 0, force: force || undefined }),
    rebootVm: (vm: string) => client.post<VmView>(`/api/v1/vms/${seg(vm)}/reboot`, { waitSeconds: 0 }),
    suspendVm: (vm: string) => client.post<VmView>(`/api/v1/vms/${seg(vm)}/suspend`, { waitSeconds: 0 }),
    resumeVm: (vm: string) => client.post<VmView>(`/api/v1/vms/${seg(vm)}/resume`, { waitSeconds: 0 }),
    migrateVm: (vm: string, node: string) =>
      client.post<VmView>(`/api/v1/vms/${seg(vm)}/migrate`, { node, waitSeconds: 0 }),
    setPlacement: (vm: string, strategy: Placement, node?: string) =>
      client.put<VmView>(`/api/v1/vms/${seg(vm)}/placement`, { strategy, node: node || undefined }),
    vmStats: (vm: string) => client.get<VmStatsView>(`/api/v1/vms/${seg(vm)}/stats`),
    consoleTicket: (vm: string, kind: 'serial' | 'vnc') =>
      client.post<ConsoleTicketView>(`/api/v1/vms/${seg(vm)}/console`, { kind }),
    vmSnapshots: (vm: string) => client.get<VmSnapshotView[]>(`/api/v1/vms/${seg(vm)}/snapshots`),
    createVmSnapshot: (vm: string, name: string, memory: boolean) =>
      client.post<VmSnapshotView>(`/api/v1/vms/${seg(vm)}/snapshots`, { name, memory }),
    deleteVmSnapshot: (vm: string, snapshot: string) =>
      client.delete<unknown>(`/api/v1/vms/${seg(vm)}/snapshots/${seg(snapshot)}`),
    revertVmSnapshot: (vm: string, snapshot: string, start: boolean) =>
      client.post<VmView>(`/api/v1/vms/${seg(vm)}/snapshots/${seg(snapshot)}/revert`, { start, waitSeconds: 0 }),

    images: () => client.get<ImageView[]>('/api/v1/images'),
    image: (image: string) => client.get<ImageView>(`/api/v1/images/${seg(image)}`),
    createImage: (request: CreateImageRequest) => client.post<ImageView>('/api/v1/images', request),
    uploadImageFile: (image: string, file: Blob, onProgress?: (sent: number, total: number) => void) =>
      client.upload<ImageView>('PUT', `/api/v1/images/${seg(image)}/file`, file, 'application/octet-stream', onProgress),
    deleteImage: (image: string) => client.delete<unknown>(`/api/v1/images/${seg(image)}`),
    flavors: () => client.get<FlavorView[]>('/api/v1/flavors'),
    createFlavor: (name: string, vcpus: number, ram: string) =>
      client.post<FlavorView>('/api/v1/flavors', { name, vcpus, ram }),
    deleteFlavor: (name: string) => client.delete<unknown>(`/api/v1/flavors/${seg(name)}`),

    iscsiGroups: () => client.get<IscsiGroupView[]>('/api/v1/iscsi/groups'),
    iscsiGroup: (group: string) => client.get<IscsiGroupView>(`/api/v1/iscsi/groups/${seg(group)}`),
    createIscsiGroup: (request: CreateIscsiGroupRequest) =>
      client.post<IscsiGroupView>('/api/v1/iscsi/groups', request),
    deleteIscsiGroup: (group: string) => client.delete<unknown>(`/api/v1/iscsi/groups/${seg(group)}`),
    setIscsiAccess: (group: string, request: IscsiAccessRequest) =>
      client.put<IscsiGroupView>(`/api/v1/iscsi/groups/${seg(group)}/access`, request),
    iscsiLuns: (group: string) => client.get<IscsiLunView[]>(`/api/v1/iscsi/groups/${seg(group)}/luns`),
    addIscsiLun: (group: string, volume: string, lun?: number) =>
      client.post<IscsiLunView>(`/api/v1/iscsi/groups/${seg(group)}/luns`, { volume, lun }),
    removeIscsiLun: (group: string, lun: number) =>
      client.delete<unknown>(`/api/v1/iscsi/groups/${seg(group)}/luns/${lun}`),

    s3Cluster: () => client.get<S3ClusterView>('/api/v1/s3/cluster'),
    createS3Cluster: (request: CreateS3ClusterRequest) => client.post<S3ClusterView>('/api/v1/s3/cluster', request),
    s3Users: () => client.get<S3UserView[]>('/api/v1/s3/users'),
    createS3User: (email: string) => client.post<S3UserView>('/api/v1/s3/users', { email }),
    deleteS3User: (user: string) => client.delete<unknown>(`/api/v1/s3/users/${seg(user)}`),
    suspendS3User: (user: string) => client.post<S3UserView>(`/api/v1/s3/users/${seg(user)}/suspend`),
    resumeS3User: (user: string) => client.post<S3UserView>(`/api/v1/s3/users/${seg(user)}/resume`),
    s3Keys: () => client.get<S3AccessKeyView[]>('/api/v1/s3/keys'),
    createS3Key: (user: string) => client.post<NewS3AccessKeyView>('/api/v1/s3/keys', { user }),
    revokeS3Key: (key: string) => client.post<S3AccessKeyView>(`/api/v1/s3/keys/${seg(key)}/revoke`),
    s3Buckets: () => client.get<S3BucketView[]>('/api/v1/s3/buckets'),
    s3Usage: () => client.get<S3UsageView>('/api/v1/s3/usage'),
    createS3Bucket: (name: string, owner: string) => client.post<S3BucketView>('/api/v1/s3/buckets', { name, owner }),
    deleteS3Bucket: (bucket: string) => client.delete<unknown>(`/api/v1/s3/buckets/${seg(bucket)}`),
    s3Objects: (bucket: string, prefix: string, after?: string | null, limit = 200) =>
      client.get<S3ObjectListView>(
        `/api/v1/s3/buckets/${seg(bucket)}/objects${query({ prefix, delimiter: '/', after, limit })}`,
      ),
    downloadS3Object: (bucket: string, key: string) => client.download(objectPath(bucket, key)),
    uploadS3Object: (bucket: string, key: string, file: Blob, onProgress?: (sent: number, total: number) => void) =>
      client.upload<S3PutObjectView>('PUT', objectPath(bucket, key), file, file.type, onProgress),
    deleteS3Object: (bucket: string, key: string) => client.delete<unknown>(objectPath(bucket, key)),
  };
}

export type KeelApi = ReturnType<typeof keelApi>;
