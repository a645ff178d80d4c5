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
  roomId?: string | null;
  room: string | null;
  rowId?: string | null;
  row: string | null;
  rackId?: string | null;
  rack: string | null;
}

export type LocationType = 'room' | 'row' | 'rack';

export interface LocationView {
  id: string;
  type: LocationType;
  name: string;
  parentId: string | null;
  nodeIds: string[] | null;
}

export type DiskRole = 'none' | 'storage' | 'metadata' | 'cache' | 'metadata+cache' | 'system';

export interface DiskRoleRequest {
  role: DiskRole;
  tier?: number | null;
  checksumming?: boolean | null;
  caching?: boolean | null;
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
  role: DiskRole;
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

/** GET /api/v1/cluster; `name` is the storage cluster's, null until it is created. */
export interface ClusterView {
  id: string;
  name: string | null;
  createdAt: string;
  storageClusterCreatedAt: string | null;
  encryption: boolean;
  managementNodeId: string | null;
  nodes: number;
}

export interface ClusterEventsView {
  events: ClusterEventView[];
}

export type VmStatus = 'BUILD' | 'ACTIVE' | 'SHUTOFF' | 'PAUSED' | 'SUSPENDED' | 'MIGRATING' | 'ERROR';

export type Placement = 'auto' | 'failover' | 'pinned';

export interface VmDiskView {
  volumeId: string;
  volume: string;
  sizeBytes: number;
  boot: boolean;
  ownedByVm: boolean;
  slot: number;
  state: 'attached' | 'detaching';
}

export interface VmMigrationView {
  id: string;
  sourceName: string;
  targetName: string;
  phase: 'preparing' | 'transferring' | 'switching' | 'completed' | 'failed' | 'cancelled';
  progress: number;
  reason: string;
}

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
  placement?: Placement;
  disks?: VmDiskView[];
  createdAt?: string;
  statusAt?: string;
  migration?: VmMigrationView | null;
  ha?: { state: string; nodeName?: string | null; waiting?: string | null } | null;
}

export interface CreateVmRequest {
  name: string;
  flavor: string;
  image?: string;
  volume?: string;
  bootSize?: string;
  policy?: string;
  disks?: { size: string; policy?: string }[];
  node?: string;
  placement?: Placement;
  start?: boolean;
  waitSeconds?: number;
}

export interface VmDiskStatsView {
  disk: string;
  volume: string;
  readBytes: number;
  writeBytes: number;
  readOps: number;
  writeOps: number;
}

export interface VmStatsView {
  vm: string;
  nodeName: string;
  running: boolean;
  collectedAt?: string | null;
  cpuSeconds: number;
  memoryRssBytes: number;
  memoryConfiguredBytes: number;
  disks: VmDiskStatsView[];
}

export interface VmSnapshotView {
  id: string;
  name: string;
  vm: string;
  createdAt: string;
  withMemory: boolean;
  pausedMillis: number;
  disks: { volume: string; snapshot: string }[];
  stateBytes: number;
}

export interface ConsoleTicketView {
  ticket: string;
  vm: string;
  kind: 'serial' | 'vnc';
  expiresAt: string;
  path: string;
}

export interface ComputeNodeView {
  id: string;
  name: string;
  status: NodeStatus;
  vcpus: number;
  ramBytes: number;
  vcpusAllocated: number;
  ramAllocatedBytes: number;
  accelerator?: 'kvm' | 'tcg' | null;
  acceleratorReason?: string | null;
}

export interface ComputeClusterView {
  createdAt: string;
  nodes: ComputeNodeView[];
  vcpus: number;
  ramBytes: number;
  vcpusAllocated: number;
  ramAllocatedBytes: number;
}

export interface CreateImageRequest {
  name: string;
  format?: 'qcow2' | 'raw' | 'iso';
  osType?: string;
  policy?: string;
}

export interface SnapshotView {
  id: string;
  name: string;
  volume: string;
  sizeBytes: number;
  createdAt: string;
  chunks: number;
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

export type ImageStatus = 'QUEUED' | 'UPLOADING' | 'CONVERTING' | 'ACTIVE' | 'ERROR';

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
  portGroup?: number;
  state: 'online' | 'offline';
  sessions: number;
}

export type AluaState = 'active/optimized' | 'standby' | 'unavailable' | 'transitioning';

export interface IscsiPathView {
  node: string;
  nodeName: string;
  iqn: string;
  portal: string;
  portGroup: number;
  alua: AluaState;
}

export interface IscsiLunView {
  lun: number;
  volume: string;
  volumeName: string;
  sizeBytes: number;
  activeNode?: string | null;
  activeNodeName?: string | null;
  haState?: string | null;
  paths?: IscsiPathView[];
}

export interface CreateIscsiGroupRequest {
  name: string;
  nodes: { node: string; address?: string }[];
}

export interface IscsiAccessRequest {
  initiators: string[];
  chapUser?: string;
  chapSecret?: string;
}

export interface IscsiGroupView {
  id: string;
  name: string;
  targets: IscsiTargetView[];
  luns: IscsiLunView[];
  access: { initiators: string[]; chapUser?: string | null; mutualChap: boolean };
  createdAt: string;
}

export type S3Protocol = 'HTTP' | 'HTTPS' | 'BOTH';

export interface CreateS3ClusterRequest {
  nodes: string[];
  policy: string;
  endpoints: string[];
  protocol: S3Protocol;
  selfSignedCertificate?: boolean;
}

export interface S3ClusterView {
  /** Not in openapi.json yet; shown when a later API sends it. */
  status?: string | null;
  nodes: { node: string; nodeName: string }[];
  policy: string;
  endpoints: string[];
  protocol: 'HTTP' | 'HTTPS' | 'BOTH';
  httpPort: number;
  httpsPort: number;
  selfSignedCertificate?: boolean;
  certificateNotAfter?: string | null;
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

export interface S3AccessKeyView {
  accessKeyId: string;
  userId: string;
  userEmail: string;
  state: 'ACTIVE' | 'REVOKED';
  createdAt: string;
  revokedAt: string | null;
}

export interface NewS3AccessKeyView {
  accessKeyId: string;
  secretAccessKey: string;
  userId: string;
  userEmail: string;
  createdAt: string;
}

export interface S3ObjectView {
  key: string;
  sizeBytes: number;
  etag: string;
  lastModified: string;
  contentType: string | null;
}

export interface S3ObjectListView {
  objects: S3ObjectView[];
  prefixes: string[];
  next: string | null;
}

export interface S3PutObjectView {
  key: string;
  sizeBytes: number;
  etag: string;
}

export interface MonitoringPoint {
  t: string;
  readOps: number;
  writeOps: number;
  readBytes: number;
  writeBytes: number;
  chunkServicesUp: number;
  chunkServicesTotal: number;
  physicalUsedBytes: number;
  physicalTotalBytes: number;
  logicalUsedBytes: number;
  logicalProvisionedBytes: number;
  /** Rates per second (ADR 0053's amendment); 0 in points kept before they were sampled. */
  rebuildBytes: number;
  s3Requests: number;
  s3BytesIn: number;
  s3BytesOut: number;
}

export interface StorageHealthView {
  healthyChunks: number;
  degradedChunks: number;
  unavailableChunks: number;
  volumes: number;
  degradedVolumes: number;
  pendingRebuildChunks: number;
  chunksRebuilt: number;
  bytesRebuilt: number;
  rebuildBytesPerSecond: number;
  missingNodes: string[];
}

export interface S3BucketUsageView {
  name: string;
  objects: number;
  bytes: number;
  versions: number;
  storedBytes: number;
  uploads: number;
}

export interface S3UsageView {
  buckets: number;
  objects: number;
  bytes: number;
  versions: number;
  storedBytes: number;
  uploads: number;
  freeBytes: number;
  perBucket: S3BucketUsageView[];
  unreadBuckets: string[];
}

export type MonitoringRange = '30m' | '1h' | '6h' | '12h' | '7d';

export interface MonitoringHistoryView {
  range: string;
  stepSeconds: number;
  points: MonitoringPoint[];
  missingNodes: string[];
}

export interface S3BucketView {
  name: string;
  ownerId?: string;
  ownerEmail: string | null;
  versioning: string;
  createdAt: string;
}
