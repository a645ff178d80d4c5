import {
  Button,
  Card,
  CardBody,
  CardTitle,
  Checkbox,
  Form,
  FormGroup,
  FormHelperText,
  FormSelect,
  FormSelectOption,
  HelperText,
  HelperTextItem,
  Radio,
  TextInput,
} from '@patternfly/react-core';
import { useState } from 'react';
import type { NodeView, PolicyView, S3Protocol } from '../api/types';
import { useApi } from '../auth';
import { ErrorAlert } from '../components/ErrorAlert';
import { useSubmit } from '../useSubmit';

/** The S3 screen until a cluster exists: the API answers 404 for it, and every tab needs one. */
export function CreateClusterForm({ nodes, policies, onCreated }: { nodes: NodeView[]; policies: PolicyView[]; onCreated(): void }) {
  const api = useApi();
  const usable = policies.filter((p) => p.holdsVolumes);
  const [chosen, setChosen] = useState<string[]>(() => nodes.filter((n) => n.inCluster && n.status === 'HEALTHY').map((n) => n.name));
  const [picked, setPolicy] = useState('');
  const policy = picked || usable[0]?.name || '';
  const [endpoint, setEndpoint] = useState('');
  const [protocol, setProtocol] = useState<S3Protocol>('HTTPS');
  const [selfSigned, setSelfSigned] = useState(true);
  const { busy, error, run } = useSubmit({ settle: true });
  const endpoints = endpoint
    .split(/[\s,]+/)
    .map((e) => e.trim())
    .filter(Boolean);
  const https = protocol !== 'HTTP';
  const canCreate = chosen.length > 0 && policy !== '' && endpoints.length > 0 && (!https || selfSigned);

  const create = async () => {
    await run(async () => {
      await api.createS3Cluster({
        nodes: chosen,
        policy,
        endpoints,
        protocol,
        selfSignedCertificate: https ? selfSigned : undefined,
      });
      onCreated();
    });
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
