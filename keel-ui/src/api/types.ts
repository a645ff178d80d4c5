// Shapes of the answers this app reads, from keel-api's openapi.json (only the fields it uses).

export type NodeStatus = 'HEALTHY' | 'UNHEALTHY' | 'MAINTENANCE' | 'UNASSIGNED';

export interface NetInterface {
  name: string;
  mac: string | null;
  addresses: string[];
  up: boolean;
  mtu: number;
}

export interface Inventory {
  hostname: string;
  os: string | null;
  cpuModel: string | null;
  cpuCores: number;
  memoryBytes: number;
  interfaces: NetInterface[];
  disks: { id: string }[];
  iscsiPort: number;
}

export interface LocationRef {
  room: string | null;
  row: string | null;
  rack: string | null;
}

export interface NodeView {
  id: string;
  name: string;
  address: string;
  apiPort: number;
  status: NodeStatus;
  inCluster: boolean;
  maintenance: boolean;
  roles: string[];
  location: LocationRef | null;
  heartbeatAgeMs: number | null;
  joinedAt: string | null;
  inventory: Inventory | null;
  release: string | null;
}

export interface DiskView {
  nodeId: string;
  nodeName: string;
  id: string;
  kind: 'block' | 'directory';
  device: string;
  sizeBytes: number;
  rotational: boolean;
  model: string | null;
  serial: string | null;
  system: boolean;
  role: string;
  tier: number | null;
  checksumming: boolean;
  caching: boolean;
}

export interface JoinTokenView {
  token: string;
  generation: number;
  expiresAt: string;
  managementAddress: string;
}

export interface MaintenanceMoveView {
  vm: string;
  vmName: string;
  action: string;
  to?: string | null;
  toName?: string | null;
}

export interface MaintenanceBlockerView {
  vm: string;
  vmName: string;
  reason: string;
}

export interface MaintenancePlanView {
  node: string;
  nodeName: string;
  mode: string;
  moves: MaintenanceMoveView[];
  blockers: MaintenanceBlockerView[];
  remaining: string[];
}

export type FailureDomain = 'disk' | 'host' | 'rack' | 'row' | 'room';

export interface PolicyView {
  name: string;
  tier: number;
  failureDomain: FailureDomain;
  replicas: number;
  redundancy: string;
  overhead: number;
  domainsAvailable: number;
  placeable: boolean;
  ec: string | null;
  pieces: number;
  holdsVolumes: boolean;
}

export interface CreatePolicyRequest {
  name: string;
  tier?: number;
  failureDomain?: FailureDomain;
  replicas?: number;
  ec?: string;
}

export type VolumeHealth = 'healthy' | 'degraded' | 'unavailable';

export interface VolumeView {
  id: string;
  name: string;
  sizeBytes: number;
  policy: string;
  allocatedBytes: number;
  physicalBytes: number;
  health: VolumeHealth;
  healthReason: string | null;
  chunks: number;
  degradedChunks: number;
  leaseHolder: string | null;
  createdAt: string;
  redundancy?: string | null;
}

export interface CreateVolumeRequest {
  name: string;
  size: string;
  policy?: string;
}

export interface ClusterEventView {
  seq: number;
  at: string;
  type: string;
  text: string;
  seconds?: number | null;
}

export interface ClusterEventsView {
  events: ClusterEventView[];
}

export type VmStatus = 'BUILD' | 'ACTIVE' | 'SHUTOFF' | 'PAUSED' | 'SUSPENDED' | 'MIGRATING' | 'ERROR';

export interface VmView {
  id: string;
  name: string;
  status: VmStatus;
  statusReason: string;
  power: 'running' | 'paused' | 'stopped' | 'suspended';
  node: string;
  nodeName: string;
  flavor?: string | null;
  vcpus: number;
  ramMiB: number;
  image?: string | null;
}

export interface ImageView {
  id: string;
  name: string;
  format?: string | null;
  osType: string;
  status: string;
  statusReason?: string | null;
  sizeBytes: number;
  virtualSizeBytes: number;
  policy: string;
  createdAt: string;
}

export interface FlavorView {
  name: string;
  vcpus: number;
  ramMiB: number;
  ramBytes: number;
}

export interface IscsiTargetView {
  node: string;
  nodeName: string;
  iqn: string;
  portal: string;
  state: 'online' | 'offline';
  sessions: number;
}

export interface IscsiLunView {
  lun: number;
  volume: string;
  volumeName: string;
  sizeBytes: number;
  activeNodeName?: string | null;
}

export interface IscsiGroupView {
  id: string;
  name: string;
  targets: IscsiTargetView[];
  luns: IscsiLunView[];
  access: { initiators: string[]; chapUser?: string | null; mutualChap: boolean };
  createdAt: string;
}

export interface S3ClusterView {
  nodes: { node: string; nodeName: string }[];
  policy: string;
  endpoints: string[];
  protocol: 'HTTP' | 'HTTPS' | 'BOTH';
  httpPort: number;
  httpsPort: number;
  createdAt: string;
}

export interface S3UserView {
  id: string;
  email: string;
  displayName: string;
  suspended: boolean;
  activeKeys: number;
  buckets: number;
}

export interface S3BucketView {
  name: string;
  ownerEmail: string | null;
  versioning: string;
  createdAt: string;
}
