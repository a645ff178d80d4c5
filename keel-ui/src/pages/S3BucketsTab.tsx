import {
  Button,
  FormGroup,
  FormHelperText,
  FormSelect,
  FormSelectOption,
  HelperText,
  HelperTextItem,
  TextInput,
} from '@patternfly/react-core';
import { Td, Tr } from '@patternfly/react-table';
import { useState } from 'react';
import { Link } from 'react-router';
import type { S3BucketView, S3UserView } from '../api/types';
import { useApi } from '../auth';
import { DangerConfirm, DangerRowButton } from '../components/DangerAction';
import { RowsTable } from '../components/RowsTable';
import { FormModal } from '../components/FormModal';
import { formatTime } from '../format';
import { bucketNameProblem } from '../s3path';

/** Buckets, each opening the bucket browser; a bucket is created for an owner, so users come first. */
export function BucketsTab({ buckets, users, onChanged }: { buckets: S3BucketView[]; users: S3UserView[]; onChanged(): void }) {
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
      <RowsTable
        label="S3 buckets"
        testId="s3-buckets-table"
        columns={['Bucket', 'Owner', 'Versioning', 'Created']}
        rows={buckets}
        emptyTitle="No buckets"
      >
        {(b) => (
          <Tr key={b.name} data-testid={`s3-bucket-row-${b.name}`}>
            <Td dataLabel="Bucket">
              <Link to={`/s3/buckets/${encodeURIComponent(b.name)}`}>{b.name}</Link>
            </Td>
            <Td dataLabel="Owner">{b.ownerEmail ?? '—'}</Td>
            <Td dataLabel="Versioning">{b.versioning}</Td>
            <Td dataLabel="Created">{formatTime(b.createdAt)}</Td>
            <Td isActionCell className="keel-row-actions">
              <DangerRowButton ariaLabel={`Delete ${b.name}`} onClick={() => setDeleting(b)} />
            </Td>
          </Tr>
        )}
      </RowsTable>
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
      <DangerConfirm
        target={deleting}
        title="Delete bucket?"
        onConfirm={(b) => api.deleteS3Bucket(b.name)}
        onClose={() => setDeleting(undefined)}
        onDone={onChanged}
      >
        {(b) => `Bucket ${b.name} will be deleted (refused while it holds objects).`}
      </DangerConfirm>
    </>
  );
}
