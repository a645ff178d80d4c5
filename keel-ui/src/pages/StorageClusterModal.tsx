import {
  Alert,
  Button,
  Checkbox,
  Form,
  FormGroup,
  FormHelperText,
  HelperText,
  HelperTextItem,
  Modal,
  ModalBody,
  ModalFooter,
  ModalHeader,
  TextInput,
} from '@patternfly/react-core';
import { useState } from 'react';
import { messageOf } from '../api/client';
import type { NodeView } from '../api/types';
import { useApi } from '../auth';
import { clusterNameProblem } from './clusterName';

/**
 * "Create storage cluster": the nodes chosen (every healthy node outside the cluster by default)
 * pool their storage disks under one name; the API refuses with its reason otherwise.
 */
export function StorageClusterModal({ nodes, onClose }: { nodes: NodeView[]; onClose(): void }) {
  const api = useApi();
  const candidates = nodes.filter((n) => !n.inCluster);
  const [name, setName] = useState('keel');
  const [chosen, setChosen] = useState<string[]>(() =>
    candidates.filter((n) => n.status === 'HEALTHY').map((n) => n.name),
  );
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const problem = clusterNameProblem(name);

  const toggle = (node: string, on: boolean) =>
    setChosen((now) => (on ? [...now, node] : now.filter((n) => n !== node)));

  const create = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.createStorageCluster(name, chosen);
      onClose();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal variant="small" isOpen onClose={onClose} aria-labelledby="storage-cluster-title">
      <ModalHeader title="Create storage cluster" labelId="storage-cluster-title" />
      <ModalBody>
        {error ? <Alert variant="danger" isInline title={error} className="pf-v6-u-mb-md" /> : null}
        <Form onSubmit={(e) => e.preventDefault()}>
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
        </Form>
      </ModalBody>
      <ModalFooter>
        <Button variant="primary" onClick={create} isLoading={busy}
          isDisabled={busy || problem !== null || chosen.length === 0}>
          Create
        </Button>
        <Button variant="link" onClick={onClose}>
          Cancel
        </Button>
      </ModalFooter>
    </Modal>
  );
}
