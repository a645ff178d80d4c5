import {
  Alert,
  Button,
  Card,
  CardBody,
  CardTitle,
  Checkbox,
  ClipboardCopy,
  DescriptionList,
  DescriptionListDescription,
  DescriptionListGroup,
  DescriptionListTerm,
  Form,
  FormGroup,
  FormHelperText,
  FormSelect,
  FormSelectOption,
  HelperText,
  HelperTextItem,
  Modal,
  ModalBody,
  ModalFooter,
  ModalHeader,
  PageSection,
  Radio,
  Tab,
  TabTitleText,
  Tabs,
  TextInput,
} from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useState } from 'react';
import { Link } from 'react-router';
import { ApiError, messageOf } from '../api/client';
import type {
  NewS3AccessKeyView,
  NodeView,
  PolicyView,
  S3AccessKeyView,
  S3BucketView,
  S3ClusterView,
  S3Protocol,
  S3UserView,
} from '../api/types';
import { useApi } from '../auth';
import { ConfirmModal } from '../components/ConfirmModal';
import { EmptyRows } from '../components/EmptyRows';
import { ErrorAlert } from '../components/ErrorAlert';
import { FormModal } from '../components/FormModal';
import { PolledView } from '../components/PolledView';
import { ScreenHeader } from '../components/ScreenHeader';
import { StatusLabel } from '../components/StatusLabel';
import { formatTime } from '../format';
import { bucketNameProblem, s3Status, s3Urls } from '../s3path';
import { usePoll } from '../usePoll';
import { useRunner } from '../useRunner';

interface S3Overview {
  cluster: S3ClusterView | null;
  users: S3UserView[];
  buckets: S3BucketView[];
  keys: S3AccessKeyView[];
  nodes: NodeView[];
  policies: PolicyView[];
}

function CreateClusterForm({ nodes, policies, onCreated }: { nodes: NodeView[]; policies: PolicyView[]; onCreated(): void }) {
  const api = useApi();
  const usable = policies.filter((p) => p.holdsVolumes);
  const [chosen, setChosen] = useState<string[]>(() => nodes.filter((n) => n.inCluster && n.status === 'HEALTHY').map((n) => n.name));
  const [picked, setPolicy] = useState('');
  const policy = picked || usable[0]?.name || '';
  const [endpoint, setEndpoint] = useState('');
  const [protocol, setProtocol] = useState<S3Protocol>('HTTPS');
  const [selfSigned, setSelfSigned] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const endpoints = endpoint
    .split(/[\s,]+/)
    .map((e) => e.trim())
    .filter(Boolean);
  const https = protocol !== 'HTTP';
  const canCreate = chosen.length > 0 && policy !== '' && endpoints.length > 0 && (!https || selfSigned);

  const create = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await api.createS3Cluster({
        nodes: chosen,
        policy,
        endpoints,
        protocol,
        selfSignedCertificate: https ? selfSigned : undefined,
      });
      onCreated();
    } catch (e) {
      setError(messageOf(e));
    }
    setBusy(false);
  };

  return (
    <Card data-testid="s3-create">
      <CardTitle>Create S3 cluster</CardTitle>
      <CardBody>
        <ErrorAlert message={error} />
        <Form
          onSubmit={(e) => {
            e.preventDefault();
            if (canCreate) void create();
          }}
        >
          <FormGroup label="Gateway nodes" isRequired fieldId="s3-nodes">
            {nodes.map((n) => (
              <Checkbox
                key={n.id}
                id={`s3-node-${n.name}`}
                label={`${n.name} (${n.address})`}
                description={n.status === 'HEALTHY' ? undefined : n.status}
                isChecked={chosen.includes(n.name)}
                onChange={(_e, on) => setChosen(on ? [...chosen, n.name] : chosen.filter((x) => x !== n.name))}
              />
            ))}
            {chosen.length === 1 ? (
              <FormHelperText>
                <HelperText>
                  <HelperTextItem variant="warning">With one gateway, S3 stops when that node does.</HelperTextItem>
                </HelperText>
              </FormHelperText>
            ) : null}
          </FormGroup>
          <FormGroup label="Storage policy" isRequired fieldId="s3-policy">
            <FormSelect id="s3-policy" value={policy} onChange={(_e, v) => setPolicy(v)}>
              {usable.length === 0 ? <FormSelectOption value="" label="No storage policy" isPlaceholder /> : null}
              {usable.map((p) => (
                <FormSelectOption key={p.name} value={p.name} label={`${p.name} (${p.redundancy})`} />
              ))}
            </FormSelect>
          </FormGroup>
          <FormGroup label="DNS name" isRequired fieldId="s3-endpoint">
            <TextInput id="s3-endpoint" value={endpoint} onChange={(_e, v) => setEndpoint(v)} placeholder="s3.example.com" />
            <FormHelperText>
              <HelperText>
                <HelperTextItem>Clients address buckets as BUCKET.NAME (several names: separate with commas).</HelperTextItem>
              </HelperText>
            </FormHelperText>
          </FormGroup>
          <FormGroup label="Protocol" role="radiogroup" isInline fieldId="s3-protocol">
            {(['HTTP', 'HTTPS', 'BOTH'] as S3Protocol[]).map((p) => (
              <Radio
                key={p}
                id={`s3-protocol-${p}`}
                name="s3-protocol"
                label={p === 'BOTH' ? 'HTTP and HTTPS' : p}
                isChecked={protocol === p}
                onChange={() => setProtocol(p)}
              />
            ))}
          </FormGroup>
          <Checkbox
            id="s3-self-signed"
            label="Self-signed certificate"
            description="Keel generates one for every DNS name and *.name; clients must be told to trust it. Your own certificate: PATCH /api/v1/s3/cluster."
            isChecked={https && selfSigned}
            isDisabled={!https}
            onChange={(_e, on) => setSelfSigned(on)}
          />
          <div>
            <Button type="submit" variant="primary" isLoading={busy} isDisabled={busy || !canCreate}>
              Create S3 cluster
            </Button>
          </div>
        </Form>
      </CardBody>
    </Card>
  );
}

function OverviewTab({ o }: { o: S3Overview & { cluster: S3ClusterView } }) {
  const c = o.cluster;
  const ports = [c.httpPort ? `HTTP ${c.httpPort}` : '', c.httpsPort ? `HTTPS ${c.httpsPort}` : ''].filter(Boolean).join(', ');
  const items: [string, string][] = [
    ['Gateway nodes', c.nodes.map((n) => n.nodeName).join(', ')],
    ['Hostnames', c.endpoints.join(', ') || '—'],
    ['Endpoints', s3Urls(c).join(', ') || '—'],
    ['Protocol', `${c.protocol} (${ports})`],
    ['Certificate', c.certificateNotAfter ? `${c.selfSignedCertificate ? 'self-signed' : 'own'}, valid until ${formatTime(c.certificateNotAfter)}` : '—'],
    ['Storage policy', c.policy],
    ['Capacity and usage', 'not reported by the API yet'],
    ['Users', String(o.users.length)],
    ['Buckets', String(o.buckets.length)],
    ['Created', formatTime(c.createdAt)],
  ];
  return (
    <DescriptionList isHorizontal isCompact data-testid="s3-cluster" className="pf-v6-u-mt-md">
      <DescriptionListGroup>
        <DescriptionListTerm>Status</DescriptionListTerm>
        <DescriptionListDescription data-testid="s3-status">
          <StatusLabel status={s3Status(c, o.nodes)} />
        </DescriptionListDescription>
      </DescriptionListGroup>
      {items.map(([term, value]) => (
        <DescriptionListGroup key={term}>
          <DescriptionListTerm>{term}</DescriptionListTerm>
          <DescriptionListDescription>{value}</DescriptionListDescription>
        </DescriptionListGroup>
      ))}
    </DescriptionList>
  );
}

function UsersTab({ users, onChanged }: { users: S3UserView[]; onChanged(): void }) {
  const api = useApi();
  const runner = useRunner(onChanged);
  const [creating, setCreating] = useState(false);
  const [email, setEmail] = useState('');
  const [deleting, setDeleting] = useState<S3UserView>();
  return (
    <>
      <Button variant="secondary" className="pf-v6-u-my-md" onClick={() => setCreating(true)}>
        Create user
      </Button>
      <ErrorAlert message={runner.error} />
      {users.length === 0 ? (
        <EmptyRows title="No S3 users" />
      ) : (
        <Table aria-label="S3 users" variant="compact" data-testid="s3-users-table">
          <Thead>
            <Tr>
              <Th>E-mail</Th>
              <Th>Name</Th>
              <Th>State</Th>
              <Th>Active keys</Th>
              <Th>Buckets</Th>
              <Th screenReaderText="Actions" />
            </Tr>
          </Thead>
          <Tbody>
            {users.map((u) => (
              <Tr key={u.id} data-testid={`s3-user-row-${u.email}`}>
                <Td dataLabel="E-mail">{u.email}</Td>
                <Td dataLabel="Name">{u.displayName}</Td>
                <Td dataLabel="State">
                  <StatusLabel status={u.suspended ? 'suspended' : 'active'} />
                </Td>
                <Td dataLabel="Active keys">{u.activeKeys}</Td>
                <Td dataLabel="Buckets">{u.buckets}</Td>
                <Td isActionCell className="keel-row-actions">
                  <Button
                    variant="secondary"
                    size="sm"
                    isLoading={runner.busy === u.id}
                    isDisabled={!!runner.busy}
                    onClick={() => runner.run(u.id, () => (u.suspended ? api.resumeS3User(u.id) : api.suspendS3User(u.id)))}
                  >
                    {u.suspended ? 'Resume' : 'Suspend'}
                  </Button>{' '}
                  <Button variant="secondary" isDanger size="sm" onClick={() => setDeleting(u)} aria-label={`Delete ${u.email}`}>
                    Delete
                  </Button>
                </Td>
              </Tr>
            ))}
          </Tbody>
        </Table>
      )}
      {creating ? (
        <FormModal
          title="Create S3 user"
          submitLabel="Create"
          canSubmit={/^[^@\s]+@[^@\s]+$/.test(email.trim())}
          onSubmit={() => api.createS3User(email.trim())}
          onClose={() => setCreating(false)}
          onDone={() => {
            setCreating(false);
            setEmail('');
            onChanged();
          }}
        >
          <FormGroup label="E-mail" isRequired fieldId="s3-user-email">
            <TextInput id="s3-user-email" type="email" value={email} onChange={(_e, v) => setEmail(v)} />
          </FormGroup>
        </FormModal>
      ) : null}
      {deleting ? (
        <ConfirmModal
          title="Delete S3 user?"
          confirmLabel="Delete"
          danger
          onConfirm={() => api.deleteS3User(deleting.id)}
          onClose={() => setDeleting(undefined)}
          onDone={() => {
            setDeleting(undefined);
            onChanged();
          }}
        >
          {`User ${deleting.email} and its access keys will be deleted (refused while it owns buckets).`}
        </ConfirmModal>
      ) : null}
    </>
  );
}

function NewKeyModal({ keyView, onClose }: { keyView: NewS3AccessKeyView; onClose(): void }) {
  return (
    <Modal variant="medium" isOpen onClose={onClose} aria-labelledby="new-key-title" data-testid="s3-new-key">
      <ModalHeader title="Access key created" labelId="new-key-title" />
      <ModalBody>
        <Alert variant="warning" isInline title="Save the secret now: it is shown this once" className="pf-v6-u-mb-md">
          Keel keeps it for the gateways only; no other answer carries it.
        </Alert>
        <DescriptionList isHorizontal>
          <DescriptionListGroup>
            <DescriptionListTerm>User</DescriptionListTerm>
            <DescriptionListDescription>{keyView.userEmail}</DescriptionListDescription>
          </DescriptionListGroup>
          <DescriptionListGroup>
            <DescriptionListTerm>Access key ID</DescriptionListTerm>
            <DescriptionListDescription>
              <ClipboardCopy isReadOnly hoverTip="Copy" clickTip="Copied" data-testid="s3-new-key-id">
                {keyView.accessKeyId}
              </ClipboardCopy>
            </DescriptionListDescription>
          </DescriptionListGroup>
          <DescriptionListGroup>
            <DescriptionListTerm>Secret access key</DescriptionListTerm>
            <DescriptionListDescription>
              <ClipboardCopy isReadOnly hoverTip="Copy" clickTip="Copied" data-testid="s3-new-key-secret">
                {keyView.secretAccessKey}
              </ClipboardCopy>
            </DescriptionListDescription>
          </DescriptionListGroup>
        </DescriptionList>
      </ModalBody>
      <ModalFooter>
        <Button variant="primary" onClick={onClose}>
          I saved it
        </Button>
      </ModalFooter>
    </Modal>
  );
}

function KeysTab({ keys, users, onChanged }: { keys: S3AccessKeyView[]; users: S3UserView[]; onChanged(): void }) {
  const api = useApi();
  const runner = useRunner(onChanged);
  const [creating, setCreating] = useState(false);
  const [user, setUser] = useState('');
  const [created, setCreated] = useState<NewS3AccessKeyView>();
  const [revoking, setRevoking] = useState<S3AccessKeyView>();
  return (
    <>
      <Button
        variant="secondary"
        className="pf-v6-u-my-md"
        isDisabled={users.length === 0}
        onClick={() => {
          setUser(users[0]?.email ?? '');
          setCreating(true);
        }}
      >
        Create key
      </Button>
      <ErrorAlert message={runner.error} />
      {keys.length === 0 ? (
        <EmptyRows title="No access keys" />
      ) : (
        <Table aria-label="S3 access keys" variant="compact" data-testid="s3-keys-table">
          <Thead>
            <Tr>
              <Th>Access key ID</Th>
              <Th>User</Th>
              <Th>State</Th>
              <Th>Created</Th>
              <Th>Revoked</Th>
              <Th screenReaderText="Actions" />
            </Tr>
          </Thead>
          <Tbody>
            {keys.map((k) => (
              <Tr key={k.accessKeyId} data-testid={`s3-key-row-${k.accessKeyId}`} data-user={k.userEmail} data-state={k.state}>
                <Td dataLabel="Access key ID">{k.accessKeyId}</Td>
                <Td dataLabel="User">{k.userEmail}</Td>
                <Td dataLabel="State">
                  <StatusLabel status={k.state} />
                </Td>
                <Td dataLabel="Created">{formatTime(k.createdAt)}</Td>
                <Td dataLabel="Revoked">{formatTime(k.revokedAt)}</Td>
                <Td isActionCell className="keel-row-actions">
                  {k.state === 'ACTIVE' ? (
                    <Button variant="secondary" isDanger size="sm" onClick={() => setRevoking(k)}>
                      Revoke
                    </Button>
                  ) : null}
                </Td>
              </Tr>
            ))}
          </Tbody>
        </Table>
      )}
      {creating ? (
        <FormModal
          title="Create access key"
          submitLabel="Create"
          canSubmit={user !== ''}
          onSubmit={async () => setCreated(await api.createS3Key(user))}
          onClose={() => setCreating(false)}
          onDone={() => {
            setCreating(false);
            onChanged();
          }}
        >
          <FormGroup label="User" isRequired fieldId="s3-key-user">
            <FormSelect id="s3-key-user" value={user} onChange={(_e, v) => setUser(v)}>
              {users.map((u) => (
                <FormSelectOption key={u.id} value={u.email} label={u.email} />
              ))}
            </FormSelect>
          </FormGroup>
        </FormModal>
      ) : null}
      {created ? <NewKeyModal keyView={created} onClose={() => setCreated(undefined)} /> : null}
      {revoking ? (
        <ConfirmModal
          title="Revoke access key?"
          confirmLabel="Revoke"
          danger
          onConfirm={() => api.revokeS3Key(revoking.accessKeyId)}
          onClose={() => setRevoking(undefined)}
          onDone={() => {
            setRevoking(undefined);
            onChanged();
          }}
        >
          {`Key ${revoking.accessKeyId} of ${revoking.userEmail} stops authenticating at once.`}
        </ConfirmModal>
      ) : null}
    </>
  );
}

function BucketsTab({ buckets, users, onChanged }: { buckets: S3BucketView[]; users: S3UserView[]; onChanged(): void }) {
  const api = useApi();
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState('');
  const [owner, setOwner] = useState('');
  const [deleting, setDeleting] = useState<S3BucketView>();
  const problem = name ? bucketNameProblem(name) : undefined;
  return (
    <>
      <Button
        variant="secondary"
        className="pf-v6-u-my-md"
        isDisabled={users.length === 0}
        onClick={() => {
          setOwner(users[0]?.email ?? '');
          setCreating(true);
        }}
      >
        Create bucket
      </Button>
      {buckets.length === 0 ? (
        <EmptyRows title="No buckets" />
      ) : (
        <Table aria-label="S3 buckets" variant="compact" data-testid="s3-buckets-table">
          <Thead>
            <Tr>
              <Th>Bucket</Th>
              <Th>Owner</Th>
              <Th>Versioning</Th>
              <Th>Created</Th>
              <Th screenReaderText="Actions" />
            </Tr>
          </Thead>
          <Tbody>
            {buckets.map((b) => (
              <Tr key={b.name} data-testid={`s3-bucket-row-${b.name}`}>
                <Td dataLabel="Bucket">
                  <Link to={`/s3/buckets/${encodeURIComponent(b.name)}`}>{b.name}</Link>
                </Td>
                <Td dataLabel="Owner">{b.ownerEmail ?? '—'}</Td>
                <Td dataLabel="Versioning">{b.versioning}</Td>
                <Td dataLabel="Created">{formatTime(b.createdAt)}</Td>
                <Td isActionCell className="keel-row-actions">
                  <Button variant="secondary" isDanger size="sm" onClick={() => setDeleting(b)} aria-label={`Delete ${b.name}`}>
                    Delete
                  </Button>
                </Td>
              </Tr>
            ))}
          </Tbody>
        </Table>
      )}
      {creating ? (
        <FormModal
          title="Create bucket"
          submitLabel="Create"
          canSubmit={name !== '' && !problem && owner !== ''}
          onSubmit={() => api.createS3Bucket(name, owner)}
          onClose={() => setCreating(false)}
          onDone={() => {
            setCreating(false);
            setName('');
            onChanged();
          }}
        >
          <FormGroup label="Name" isRequired fieldId="s3-bucket-name">
            <TextInput id="s3-bucket-name" value={name} onChange={(_e, v) => setName(v)} validated={problem ? 'error' : 'default'} />
            {problem ? (
              <FormHelperText>
                <HelperText>
                  <HelperTextItem variant="error">{problem}</HelperTextItem>
                </HelperText>
              </FormHelperText>
            ) : null}
          </FormGroup>
          <FormGroup label="Owner" isRequired fieldId="s3-bucket-owner">
            <FormSelect id="s3-bucket-owner" value={owner} onChange={(_e, v) => setOwner(v)}>
              {users.map((u) => (
                <FormSelectOption key={u.id} value={u.email} label={u.email} />
              ))}
            </FormSelect>
          </FormGroup>
        </FormModal>
      ) : null}
      {deleting ? (
        <ConfirmModal
          title="Delete bucket?"
          confirmLabel="Delete"
          danger
          onConfirm={() => api.deleteS3Bucket(deleting.name)}
          onClose={() => setDeleting(undefined)}
          onDone={() => {
            setDeleting(undefined);
            onChanged();
          }}
        >
          {`Bucket ${deleting.name} will be deleted (refused while it holds objects).`}
        </ConfirmModal>
      ) : null}
    </>
  );
}

export function S3Page() {
  const api = useApi();
  const [tab, setTab] = useState<string | number>('overview');
  const overview = usePoll<S3Overview>(async () => {
    // 404 is the normal answer before an S3 cluster is created.
    const cluster = await api.s3Cluster().catch((e: unknown) => {
      if (e instanceof ApiError && e.status === 404) return null;
      throw e;
    });
    const [users, buckets, keys, nodes, policies] = await Promise.all([
      api.s3Users(),
      api.s3Buckets(),
      api.s3Keys(),
      api.nodes(),
      api.policies(),
    ]);
    return { cluster, users, buckets, keys, nodes, policies };
  });
  return (
    <>
      <ScreenHeader title="S3" />
      <PageSection>
        <PolledView polled={overview}>
          {(o) =>
            !o.cluster ? (
              <CreateClusterForm nodes={o.nodes} policies={o.policies} onCreated={overview.refresh} />
            ) : (
              <Tabs activeKey={tab} onSelect={(_e, key) => setTab(key)} aria-label="S3">
                <Tab eventKey="overview" title={<TabTitleText>Overview</TabTitleText>}>
                  {tab === 'overview' ? <OverviewTab o={{ ...o, cluster: o.cluster }} /> : null}
                </Tab>
                <Tab eventKey="users" title={<TabTitleText>Users</TabTitleText>}>
                  {tab === 'users' ? <UsersTab users={o.users} onChanged={overview.refresh} /> : null}
                </Tab>
                <Tab eventKey="keys" title={<TabTitleText>Keys</TabTitleText>}>
                  {tab === 'keys' ? <KeysTab keys={o.keys} users={o.users} onChanged={overview.refresh} /> : null}
                </Tab>
                <Tab eventKey="buckets" title={<TabTitleText>Buckets</TabTitleText>}>
                  {tab === 'buckets' ? <BucketsTab buckets={o.buckets} users={o.users} onChanged={overview.refresh} /> : null}
                </Tab>
              </Tabs>
            )
          }
        </PolledView>
      </PageSection>
    </>
  );
}
