import {
  Alert,
  Button,
  ClipboardCopy,
  DescriptionList,
  DescriptionListDescription,
  DescriptionListGroup,
  DescriptionListTerm,
  FormGroup,
  FormSelect,
  FormSelectOption,
  Modal,
  ModalBody,
  ModalFooter,
  ModalHeader,
} from '@patternfly/react-core';
import { Td, Tr } from '@patternfly/react-table';
import { useState } from 'react';
import type { NewS3AccessKeyView, S3AccessKeyView, S3UserView } from '../api/types';
import { useApi } from '../auth';
import { DangerConfirm, DangerRowButton } from '../components/DangerAction';
import { RowsTable } from '../components/RowsTable';
import { ErrorAlert } from '../components/ErrorAlert';
import { FormModal } from '../components/FormModal';
import { StatusLabel } from '../components/StatusLabel';
import { formatTime } from '../format';
import { useRunner } from '../useRunner';

/** The only place the secret ever shows: the API keeps it for the gateways and never sends it again. */
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

export function KeysTab({ keys, users, onChanged }: { keys: S3AccessKeyView[]; users: S3UserView[]; onChanged(): void }) {
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
      <RowsTable
        label="S3 access keys"
        testId="s3-keys-table"
        columns={['Access key ID', 'User', 'State', 'Created', 'Revoked']}
        rows={keys}
        emptyTitle="No access keys"
      >
        {(k) => (
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
                <DangerRowButton label="Revoke" onClick={() => setRevoking(k)} />
              ) : null}
            </Td>
          </Tr>
        )}
      </RowsTable>
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
      <DangerConfirm
        target={revoking}
        title="Revoke access key?"
        confirmLabel="Revoke"
        onConfirm={(k) => api.revokeS3Key(k.accessKeyId)}
        onClose={() => setRevoking(undefined)}
        onDone={onChanged}
      >
        {(k) => `Key ${k.accessKeyId} of ${k.userEmail} stops authenticating at once.`}
      </DangerConfirm>
    </>
  );
}
