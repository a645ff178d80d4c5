import { Button, PageSection } from '@patternfly/react-core';
import { Td, Tr } from '@patternfly/react-table';
import { useState } from 'react';
import type { PolicyView } from '../api/types';
import { useApi } from '../auth';
import { DangerConfirm } from '../components/DangerAction';
import { RowsTable } from '../components/RowsTable';
import { PolledView } from '../components/PolledView';
import { ScreenHeader } from '../components/ScreenHeader';
import { StatusLabel } from '../components/StatusLabel';
import { usePoll } from '../usePoll';
import { CreatePolicyModal } from './CreatePolicyModal';

function PoliciesTable({ policies, onDelete }: { policies: PolicyView[]; onDelete(name: string): void }) {
  return (
    <RowsTable
      label="Storage policies"
      testId="policies-table"
      columns={['Name', 'Redundancy', { title: 'Failure domain', wrap: true }, 'Tier', 'Overhead', 'Placeable']}
      rows={policies}
      emptyTitle="No storage policies"
      emptyBody="Create one to hold volumes."
    >
      {(p) => (
        <Tr key={p.name} data-testid={`policy-row-${p.name}`}>
          <Td dataLabel="Name">{p.name}</Td>
          <Td dataLabel="Redundancy">{p.redundancy}</Td>
          <Td dataLabel="Failure domain">{p.failureDomain}</Td>
          <Td dataLabel="Tier">{p.tier}</Td>
          <Td dataLabel="Overhead">{`${p.overhead.toFixed(2)}x`}</Td>
          <Td dataLabel="Placeable">
            <StatusLabel status={p.placeable ? 'yes' : 'no'} />{' '}
            {`${p.domainsAvailable} ${p.failureDomain}s available, ${p.pieces} needed`}
          </Td>
          <Td isActionCell className="keel-row-actions">
            <Button variant="link" isDanger onClick={() => onDelete(p.name)} aria-label={`Delete policy ${p.name}`}>
              Delete
            </Button>
          </Td>
        </Tr>
      )}
    </RowsTable>
  );
}

export function PoliciesPage() {
  const api = useApi();
  const policies = usePoll(api.policies);
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<string>();

  return (
    <>
      <ScreenHeader
        title="Storage policies"
        actions={
          <Button variant="primary" onClick={() => setCreating(true)}>
            Create policy
          </Button>
        }
      />
      <PageSection>
        <PolledView polled={policies}>{(data) => <PoliciesTable policies={data} onDelete={setDeleting} />}</PolledView>
      </PageSection>
      {creating ? (
        <CreatePolicyModal
          onClose={() => setCreating(false)}
          onCreated={() => {
            setCreating(false);
            policies.refresh();
          }}
        />
      ) : null}
      <DangerConfirm
        target={deleting}
        title="Delete storage policy?"
        onConfirm={(name) => api.deletePolicy(name)}
        onClose={() => setDeleting(undefined)}
        onDone={policies.refresh}
      >
        {(name) => `Storage policy ${name} will be deleted.`}
      </DangerConfirm>
    </>
  );
}
