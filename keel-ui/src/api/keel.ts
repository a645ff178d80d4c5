import type { ApiClient } from './client';
import type {
  ClusterEventsView,
  CreatePolicyRequest,
  CreateVolumeRequest,
  DiskView,
  FlavorView,
  ImageView,
  IscsiGroupView,
  JoinTokenView,
  MaintenancePlanView,
  NodeView,
  PolicyView,
  S3BucketView,
  S3ClusterView,
  S3UserView,
  VmView,
  VolumeView,
} from './types';

const seg = encodeURIComponent;

/** The endpoints the screens use, typed; paths as in keel-api's openapi.json. */
export function keelApi(client: ApiClient) {
  return {
    nodes: () => client.get<NodeView[]>('/api/v1/nodes'),
    node: (node: string) => client.get<NodeView>(`/api/v1/nodes/${seg(node)}`),
    nodeDisks: (node: string) => client.get<DiskView[]>(`/api/v1/nodes/${seg(node)}/disks`),
    joinToken: () => client.get<JoinTokenView>('/api/v1/join-token'),
    maintenancePlan: (node: string) =>
      client.get<MaintenancePlanView>(`/api/v1/nodes/${seg(node)}/maintenance/plan`),
    enterMaintenance: (node: string) =>
      client.post<MaintenancePlanView>(`/api/v1/nodes/${seg(node)}/maintenance`),
    leaveMaintenance: (node: string) =>
      client.delete<MaintenancePlanView>(`/api/v1/nodes/${seg(node)}/maintenance`),

    policies: () => client.get<PolicyView[]>('/api/v1/policies'),
    createPolicy: (request: CreatePolicyRequest) => client.post<PolicyView>('/api/v1/policies', request),
    deletePolicy: (name: string) => client.delete<unknown>(`/api/v1/policies/${seg(name)}`),

    volumes: () => client.get<VolumeView[]>('/api/v1/volumes'),
    createVolume: (request: CreateVolumeRequest) => client.post<VolumeView>('/api/v1/volumes', request),
    extendVolume: (volume: string, size: string) =>
      client.post<VolumeView>(`/api/v1/volumes/${seg(volume)}/extend`, { size }),
    deleteVolume: (volume: string) => client.delete<unknown>(`/api/v1/volumes/${seg(volume)}`),

    events: () => client.get<ClusterEventsView>('/api/v1/events'),

    vms: () => client.get<VmView[]>('/api/v1/vms'),
    // waitSeconds 0: answer at once; the list's polling shows the VM getting there.
    startVm: (vm: string) => client.post<VmView>(`/api/v1/vms/${seg(vm)}/start`, { waitSeconds: 0 }),
    stopVm: (vm: string) => client.post<VmView>(`/api/v1/vms/${seg(vm)}/stop`, { waitSeconds: 0 }),
    images: () => client.get<ImageView[]>('/api/v1/images'),
    flavors: () => client.get<FlavorView[]>('/api/v1/flavors'),

    iscsiGroups: () => client.get<IscsiGroupView[]>('/api/v1/iscsi/groups'),

    s3Cluster: () => client.get<S3ClusterView>('/api/v1/s3/cluster'),
    s3Users: () => client.get<S3UserView[]>('/api/v1/s3/users'),
    s3Buckets: () => client.get<S3BucketView[]>('/api/v1/s3/buckets'),
  };
}

export type KeelApi = ReturnType<typeof keelApi>;
