import {
  Alert,
  Button,
  FileUpload,
  FormGroup,
  FormSelect,
  FormSelectOption,
  PageSection,
  TextInput,
} from '@patternfly/react-core';
import { Td, Tr } from '@patternfly/react-table';
import { useEffect, useState } from 'react';
import { SessionExpiredError, messageOf } from '../api/client';
import type { ImageView, PolicyView } from '../api/types';
import { useApi } from '../auth';
import { DangerConfirm, DangerRowButton } from '../components/DangerAction';
import { RowsTable } from '../components/RowsTable';
import { FormModal } from '../components/FormModal';
import { PolledView } from '../components/PolledView';
import { ScreenHeader } from '../components/ScreenHeader';
import { UploadProgress } from '../components/UploadProgress';
import { StatusLabel } from '../components/StatusLabel';
import { formatOfFile, type ImageFormat } from '../compute';
import { formatBytes, formatTime } from '../format';
import { usePoll } from '../usePoll';

interface Upload {
  image: string;
  sent: number;
  total: number;
  error?: string;
  done?: boolean;
}

function ImagesTable({
  images,
  onUpload,
  onDelete,
}: {
  images: ImageView[];
  onUpload(image: ImageView): void;
  onDelete(image: ImageView): void;
}) {
  return (
    <RowsTable
      label="Images"
      testId="images-table"
      columns={['Name', 'Status', 'Format', 'OS', 'File size', 'Disk size', 'Policy', 'Created']}
      rows={images}
      emptyTitle="No images"
    >
      {(i) => (
        <Tr key={i.id} data-testid={`image-row-${i.name}`} data-status={i.status}>
          <Td dataLabel="Name">{i.name}</Td>
          <Td dataLabel="Status">
            <StatusLabel status={i.status} />
            {i.statusReason ? <div className="pf-v6-u-font-size-sm">{i.statusReason}</div> : null}
          </Td>
          <Td dataLabel="Format">{i.format ?? '—'}</Td>
          <Td dataLabel="OS">{i.osType}</Td>
          <Td dataLabel="File size">{formatBytes(i.sizeBytes)}</Td>
          <Td dataLabel="Disk size">{i.virtualSizeBytes > 0 ? formatBytes(i.virtualSizeBytes) : '—'}</Td>
          <Td dataLabel="Policy">{i.policy}</Td>
          <Td dataLabel="Created">{formatTime(i.createdAt)}</Td>
          <Td isActionCell className="keel-row-actions">
            {i.status === 'QUEUED' ? (
              <>
                <Button variant="secondary" size="sm" onClick={() => onUpload(i)}>
                  Upload file
                </Button>{' '}
              </>
            ) : null}
            <DangerRowButton ariaLabel={`Delete ${i.name}`} onClick={() => onDelete(i)} />
          </Td>
        </Tr>
      )}
    </RowsTable>
  );
}

function UploadModal({
  existing,
  onClose,
  onStart,
}: {
  existing?: ImageView;
  onClose(): void;
  onStart(image: string, file: File): void;
}) {
  const api = useApi();
  const [name, setName] = useState(existing?.name ?? '');
  const [format, setFormat] = useState<ImageFormat>((existing?.format as ImageFormat | undefined) ?? '');
  const [osType, setOsType] = useState('linux');
  const [policy, setPolicy] = useState('');
  const [policies, setPolicies] = useState<PolicyView[]>([]);
  const [file, setFile] = useState<File>();
  useEffect(() => {
    let cancelled = false;
    api.policies().then(
      (list) => {
        if (!cancelled) setPolicies(list.filter((p) => p.holdsVolumes));
      },
      (e: unknown) => {
        if (!(e instanceof SessionExpiredError)) setPolicies([]);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api]);
  return (
    <FormModal
      title={existing ? `Upload the file of ${existing.name}` : 'Upload image'}
      submitLabel="Upload"
      canSubmit={!!file && name.trim() !== ''}
      onSubmit={async () => {
        if (!existing) {
          await api.createImage({ name: name.trim(), format: format || undefined, osType: osType.trim() || undefined, policy: policy || undefined });
        }
      }}
      onClose={onClose}
      onDone={() => {
        if (file) onStart(name.trim(), file);
      }}
    >
      <FormGroup label="File" isRequired fieldId="image-file">
        <FileUpload
          id="image-file"
          filename={file?.name ?? ''}
          filenamePlaceholder="qcow2, raw or ISO"
          browseButtonText="Choose file"
          hideDefaultPreview
          onFileInputChange={(_e, f) => {
            setFile(f);
            if (!existing) {
              if (!name) setName(f.name.replace(/\.[^.]+$/, ''));
              setFormat(formatOfFile(f.name) || format);
            }
          }}
          onClearClick={() => setFile(undefined)}
        />
      </FormGroup>
      {existing ? null : (
        <>
          <FormGroup label="Name" isRequired fieldId="image-name">
            <TextInput id="image-name" value={name} onChange={(_e, v) => setName(v)} />
          </FormGroup>
          <FormGroup label="Format" fieldId="image-format">
            <FormSelect id="image-format" value={format} onChange={(_e, v) => setFormat(v as ImageFormat)}>
              <FormSelectOption value="" label="Learnt from the file" />
              <FormSelectOption value="qcow2" label="qcow2" />
              <FormSelectOption value="raw" label="raw" />
              <FormSelectOption value="iso" label="ISO" />
            </FormSelect>
          </FormGroup>
          <FormGroup label="OS type" fieldId="image-os">
            <TextInput id="image-os" value={osType} onChange={(_e, v) => setOsType(v)} />
          </FormGroup>
          <FormGroup label="Storage policy" fieldId="image-policy">
            <FormSelect id="image-policy" value={policy} onChange={(_e, v) => setPolicy(v)}>
              <FormSelectOption value="" label="Default (the only policy)" />
              {policies.map((p) => (
                <FormSelectOption key={p.name} value={p.name} label={`${p.name} (${p.redundancy})`} />
              ))}
            </FormSelect>
          </FormGroup>
        </>
      )}
    </FormModal>
  );
}

export function ImagesPage() {
  const api = useApi();
  const images = usePoll(api.images);
  const [uploading, setUploading] = useState<ImageView | 'new'>();
  const [deleting, setDeleting] = useState<ImageView>();
  const [uploads, setUploads] = useState<Upload[]>([]);

  const update = (image: string, change: Partial<Upload>) =>
    setUploads((list) => list.map((u) => (u.image === image ? { ...u, ...change } : u)));

  const start = (image: string, file: File) => {
    setUploading(undefined);
    setUploads((list) => [...list.filter((u) => u.image !== image), { image, sent: 0, total: file.size }]);
    images.refresh();
    // The PUT answers once the image is ACTIVE (or why it failed); the list's polling shows the steps.
    api
      .uploadImageFile(image, file, (sent, total) => update(image, { sent, total }))
      .then(
        () => update(image, { done: true, sent: file.size }),
        (e: unknown) => update(image, { error: messageOf(e) }),
      )
      .finally(images.refresh);
  };

  return (
    <>
      <ScreenHeader
        title="Images"
        actions={
          <Button variant="primary" onClick={() => setUploading('new')}>
            Upload image
          </Button>
        }
      />
      <PageSection>
        {uploads.map((u) =>
          u.error ? (
            <Alert
              key={u.image}
              variant="danger"
              isInline
              title={`Upload of ${u.image} failed`}
              data-testid="api-error"
              className="pf-v6-u-mb-md"
              actionClose={<Button variant="plain" aria-label="Dismiss" onClick={() => setUploads((l) => l.filter((x) => x !== u))}>×</Button>}
            >
              {u.error}
            </Alert>
          ) : u.done ? null : (
            <UploadProgress
              key={u.image}
              className="pf-v6-u-mb-md"
              testId={`image-upload-${u.image}`}
              title={u.sent >= u.total ? `${u.image}: file sent, the node checks and converts it` : `Uploading ${u.image}`}
              sent={u.sent}
              total={u.total}
            />
          ),
        )}
        <PolledView polled={images}>
          {(data) => <ImagesTable images={data} onUpload={setUploading} onDelete={setDeleting} />}
        </PolledView>
      </PageSection>
      {uploading ? (
        <UploadModal existing={uploading === 'new' ? undefined : uploading} onClose={() => setUploading(undefined)} onStart={start} />
      ) : null}
      <DangerConfirm
        target={deleting}
        title="Delete image?"
        onConfirm={(i) => api.deleteImage(i.name)}
        onClose={() => setDeleting(undefined)}
        onDone={images.refresh}
      >
        {(i) => `Image ${i.name}, its volume and golden snapshot will be deleted (refused while VM disks are cloned from it).`}
      </DangerConfirm>
    </>
  );
}
