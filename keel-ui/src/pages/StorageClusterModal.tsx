import { Checkbox, FormGroup, FormHelperText, HelperText, HelperTextItem, TextInput } from '@patternfly/react-core';
import { useState } from 'react';
import type { NodeView } from '../api/types';
import { useApi } from '../auth';
import { FormModal } from '../components/FormModal';
import { clusterNameProblem } from './clusterName';

/**
 * "Create storage cluster": the nodes chosen (every healthy node outside the cluster by default)
 * pool their storage disks under one name; the API refuses with its reason otherwise.
 */
export function StorageClusterModal({ nodes, onClose, onDone }: { nodes: NodeView[]; onClose(): void; onDone(): void }) {
  const api = useApi();
  const candidates = nodes.filter((n) => !n.inCluster);
  const [name, setName] = useState('keel');
  const [chosen, setChosen] = useState<string[]>(() =>
    candidates.filter((n) => n.status === 'HEALTHY').map((n) => n.name),
  );
  const problem = clusterNameProblem(name);
  const toggle = (node: string, on: boolean) =>
    setChosen((now) => (on ? [...now, node] : now.filter((n) => n !== node)));

  return (
    <FormModal
      title="Create storage cluster"
      submitLabel="Create"
      canSubmit={problem === null && chosen.length > 0}
      onSubmit={() => api.createStorageCluster(name, chosen)}
      onClose={onClose}
      onDone={onDone}
    >
      <FormGroup label="Name" isRequired fieldId="storage-cluster-name">
        <TextInput id="storage-cluster-name" value={name} onChange={(_e, v) => setName(v)}
          validated={problem ? 'error' : 'default'} />
        {problem ? (
          <FormHelperText>
            <HelperText>
              <HelperTextItem variant="error">{problem}</HelperTextItem>
            </HelperText>
          </FormHelperText>
        ) : null}
      </FormGroup>
      <FormGroup label="Nodes" role="group" fieldId="storage-cluster-nodes">
        {candidates.map((n) => (
          <Checkbox key={n.id} id={`storage-cluster-node-${n.name}`} label={`${n.name} (${n.status})`}
            isChecked={chosen.includes(n.name)} onChange={(_e, on) => toggle(n.name, on)} />
        ))}
      </FormGroup>
    </FormModal>
  );
}
