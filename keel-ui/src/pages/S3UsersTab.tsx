import { Button, FormGroup, TextInput } from '@patternfly/react-core';
import { Td, Tr } from '@patternfly/react-table';
import { useState } from 'react';
import type { S3UserView } from '../api/types';
import { useApi } from '../auth';
import { DangerConfirm, DangerRowButton } from '../components/DangerAction';
import { RowsTable } from '../components/RowsTable';
import { ErrorAlert } from '../components/ErrorAlert';
import { FormModal } from '../components/FormModal';
import { StatusLabel } from '../components/StatusLabel';
import { useRunner } from '../useRunner';

/** S3 users. Suspend and Resume run in place (useRunner) as they are undone as easily; Delete asks first. */
export function UsersTab({ users, onChanged }: { users: S3UserView[]; onChanged(): void }) {
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
      <RowsTable
        label="S3 users"
        testId="s3-users-table"
        columns={['E-mail', 'Name', 'State', 'Active keys', 'Buckets']}
        rows={users}
        emptyTitle="No S3 users"
      >
        {(u) => (
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
              <DangerRowButton ariaLabel={`Delete ${u.email}`} onClick={() => setDeleting(u)} />
            </Td>
          </Tr>
        )}
      </RowsTable>
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
      <DangerConfirm
        target={deleting}
        title="Delete S3 user?"
        onConfirm={(u) => api.deleteS3User(u.id)}
        onClose={() => setDeleting(undefined)}
        onDone={onChanged}
      >
        {(u) => `User ${u.email} and its access keys will be deleted (refused while it owns buckets).`}
      </DangerConfirm>
    </>
  );
}
