import { Alert, Button, Content, List, ListItem, Modal, ModalBody, ModalFooter, ModalHeader } from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import type { MaintenancePlanView } from '../api/types';
import { useApi } from '../auth';
import { ErrorAlert } from '../components/ErrorAlert';
import { PolledView } from '../components/PolledView';
import { usePoll } from '../usePoll';
import { useSubmit } from '../useSubmit';

function Plan({ plan }: { plan: MaintenancePlanView }) {
  return (
    <>
      {plan.blockers.length > 0 ? (
        <Alert variant="warning" isInline title="These VMs keep the node from entering maintenance" className="pf-v6-u-mb-md">
          <List>
            {plan.blockers.map((b) => (
              <ListItem key={b.vm}>{`${b.vmName}: ${b.reason}`}</ListItem>
            ))}
          </List>
        </Alert>
      ) : null}
      {plan.moves.length === 0 ? (
        <Content component="p" data-testid="maintenance-no-moves">
          No VMs need to move.
        </Content>
      ) : (
        <Table aria-label="Maintenance plan" variant="compact" data-testid="maintenance-plan">
          <Thead>
            <Tr>
              <Th>VM</Th>
              <Th>Action</Th>
              <Th>To</Th>
            </Tr>
          </Thead>
          <Tbody>
            {plan.moves.map((m) => (
              <Tr key={m.vm}>
                <Td dataLabel="VM">{m.vmName}</Td>
                <Td dataLabel="Action">{m.action}</Td>
                <Td dataLabel="To">{m.toName ?? m.to ?? '—'}</Td>
              </Tr>
            ))}
          </Tbody>
        </Table>
      )}
    </>
  );
}

/** Shows what entering maintenance would do now, then asks the API to do it. */
export function MaintenanceModal({ node, onClose, onDone }: { node: string; onClose(): void; onDone(): void }) {
  const api = useApi();
  const plan = usePoll(() => api.maintenancePlan(node), node);
  const { busy, error, run } = useSubmit();

  const enter = async () => {
    await run(async () => {
      await api.enterMaintenance(node);
      onDone();
    });
  };

  return (
    <Modal variant="medium" isOpen onClose={onClose} aria-labelledby="maintenance-title">
      <ModalHeader title={`Enter maintenance: ${node}`} labelId="maintenance-title" />
      <ModalBody>
        <Content component="p">
          Running VMs live-migrate away, stopped ones move, and the node leaves the scheduling pool.
        </Content>
        <ErrorAlert message={error} />
        <PolledView polled={plan}>{(p) => <Plan plan={p} />}</PolledView>
      </ModalBody>
      <ModalFooter>
        <Button variant="primary" onClick={enter} isLoading={busy} isDisabled={busy || !plan.data}>
          Enter maintenance
        </Button>
        <Button variant="link" onClick={onClose}>
          Cancel
        </Button>
      </ModalFooter>
    </Modal>
  );
}
