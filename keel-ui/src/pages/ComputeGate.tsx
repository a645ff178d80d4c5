import { Button, Card, CardBody, CardTitle, Checkbox, Content } from '@patternfly/react-core';
import { useState, type ReactNode } from 'react';
import { ApiError } from '../api/client';
import type { ComputeClusterView, NodeView } from '../api/types';
import { useApi } from '../auth';
import { ErrorAlert } from '../components/ErrorAlert';
import { PolledView } from '../components/PolledView';
import { usePoll } from '../usePoll';
import { useSubmit } from '../useSubmit';

interface ComputeState {
  compute: ComputeClusterView | null;
  nodes: NodeView[];
}

function CreateComputeForm({ nodes, onCreated }: { nodes: NodeView[]; onCreated(): void }) {
  const api = useApi();
  const [chosen, setChosen] = useState<string[]>(() => nodes.filter((n) => n.inCluster && n.status === 'HEALTHY').map((n) => n.name));
  const { busy, error, run } = useSubmit({ settle: true });
  const create = async () => {
    await run(async () => {
      await api.createCompute(chosen);
      onCreated();
    });
  };
  return (
    <Card data-testid="compute-create">
      <CardTitle>Create compute cluster</CardTitle>
      <CardBody>
        <Content component="p">
          VMs run on the compute cluster&apos;s nodes (healthy storage cluster nodes). Creating it also installs the default flavors.
        </Content>
        <ErrorAlert message={error} />
        {nodes.map((n) => (
          <Checkbox
            key={n.id}
            id={`compute-node-${n.name}`}
            label={`${n.name} (${n.address})`}
            description={n.status === 'HEALTHY' ? undefined : n.status}
            isChecked={chosen.includes(n.name)}
            onChange={(_e, on) => setChosen(on ? [...chosen, n.name] : chosen.filter((x) => x !== n.name))}
          />
        ))}
        <Button className="pf-v6-u-mt-md" variant="primary" onClick={create} isLoading={busy} isDisabled={busy || chosen.length === 0}>
          Create compute cluster
        </Button>
      </CardBody>
    </Card>
  );
}

/** Shows the Create compute cluster form while there is none (GET /api/v1/compute answers 404), else children. */
export function ComputeGate({ children }: { children: (compute: ComputeClusterView) => ReactNode }) {
  const api = useApi();
  const state = usePoll<ComputeState>(async () => {
    const compute = await api.compute().catch((e: unknown) => {
      if (e instanceof ApiError && e.status === 404) return null;
      throw e;
    });
    return { compute, nodes: compute ? [] : await api.nodes() };
  });
  return (
    <PolledView polled={state}>
      {(s) => (s.compute ? children(s.compute) : <CreateComputeForm nodes={s.nodes} onCreated={state.refresh} />)}
    </PolledView>
  );
}
