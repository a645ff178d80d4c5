import {
  Breadcrumb,
  BreadcrumbItem,
  Button,
  FileUpload,
  Flex,
  FlexItem,
  PageSection,
} from '@patternfly/react-core';
import { FolderIcon } from '@patternfly/react-icons';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { messageOf } from '../api/client';
import type { S3ObjectListView, S3ObjectView } from '../api/types';
import { useApi } from '../auth';
import { DangerConfirm, DangerRowButton } from '../components/DangerAction';
import { EmptyRows } from '../components/EmptyRows';
import { ErrorAlert } from '../components/ErrorAlert';
import { UploadProgress } from '../components/UploadProgress';
import { PolledView } from '../components/PolledView';
import { ScreenHeader } from '../components/ScreenHeader';
import { formatBytes, formatTime } from '../format';
import { baseName, childName, crumbs } from '../s3path';
import { usePoll } from '../usePoll';
import { useRunner } from '../useRunner';

/** Saves a Blob as a file through a temporary object URL (the download needs the bearer header, so no plain link). */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  anchor.style.display = 'none';
  document.body.appendChild(anchor);
  anchor.click();
  anchor.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function Uploader({ bucket, prefix, onUploaded }: { bucket: string; prefix: string; onUploaded(): void }) {
  const api = useApi();
  const [file, setFile] = useState<File>();
  const [sent, setSent] = useState<{ sent: number; total: number }>();
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  const upload = async () => {
    if (!file) return;
    setError(undefined);
    setDone(undefined);
    setSent({ sent: 0, total: file.size });
    try {
      const put = await api.uploadS3Object(bucket, `${prefix}${file.name}`, file, (s, total) => setSent({ sent: s, total }));
      setDone(`Uploaded ${put.key} (${formatBytes(put.sizeBytes)})`);
      setFile(undefined);
      onUploaded();
    } catch (e) {
      setError(messageOf(e));
    }
    setSent(undefined);
  };
  return (
    <div className="pf-v6-u-mb-md" data-testid="s3-uploader">
      <ErrorAlert message={error} />
      <Flex alignItems={{ default: 'alignItemsFlexEnd' }}>
        <FlexItem grow={{ default: 'grow' }}>
          <FileUpload
            id="s3-upload"
            filename={file?.name ?? ''}
            filenamePlaceholder={`Choose a file to upload into ${prefix || 'the bucket root'}`}
            browseButtonText="Choose file"
            hideDefaultPreview
            onFileInputChange={(_e, f) => setFile(f)}
            onClearClick={() => setFile(undefined)}
            isDisabled={!!sent}
          />
        </FlexItem>
        <FlexItem>
          <Button variant="primary" onClick={upload} isDisabled={!file || !!sent} isLoading={!!sent}>
            Upload
          </Button>
        </FlexItem>
      </Flex>
      {sent ? (
        <UploadProgress
          className="pf-v6-u-mt-sm"
          sent={sent.sent}
          total={sent.total}
          title={`Uploading ${file?.name ?? ''}`}
          testId="s3-upload-progress"
        />
      ) : null}
      {done ? (
        <div className="pf-v6-u-mt-sm" data-testid="s3-upload-done">
          {done}
        </div>
      ) : null}
    </div>
  );
}

export function S3BucketPage() {
  const api = useApi();
  const bucket = useParams().bucket ?? '';
  const [search, setSearch] = useSearchParams();
  const prefix = search.get('prefix') ?? '';
  const [pages, setPages] = useState(1);
  // Polls the first `pages` pages of the folder (the API pages by "after" tokens).
  const listing = usePoll<S3ObjectListView>(async () => {
    let page = await api.s3Objects(bucket, prefix);
    const all: S3ObjectListView = { objects: [...page.objects], prefixes: [...page.prefixes], next: page.next };
    for (let i = 1; i < pages && page.next; i++) {
      page = await api.s3Objects(bucket, prefix, page.next);
      all.objects.push(...page.objects);
      all.prefixes.push(...page.prefixes);
      all.next = page.next;
    }
    return all;
  }, `${bucket}\n${prefix}\n${pages}`);
  const runner = useRunner(listing.refresh);
  const [deleting, setDeleting] = useState<S3ObjectView>();

  const go = (p: string) => {
    setPages(1);
    setSearch(p ? { prefix: p } : {});
  };
  const download = (o: S3ObjectView) =>
    runner.run(`get:${o.key}`, async () => {
      const { blob, fileName } = await api.downloadS3Object(bucket, o.key);
      saveBlob(blob, fileName ?? baseName(o.key));
    });

  const trail = crumbs(bucket, prefix);
  return (
    <>
      <PageSection>
        <Breadcrumb data-testid="s3-crumbs">
          <BreadcrumbItem render={() => <Link to="/s3">S3</Link>} />
          {trail.map((c, i) =>
            i === trail.length - 1 ? (
              <BreadcrumbItem key={c.prefix} isActive>
                {c.label}
              </BreadcrumbItem>
            ) : (
              <BreadcrumbItem key={c.prefix} render={() => (
                <Button variant="link" isInline onClick={() => go(c.prefix)}>
                  {c.label}
                </Button>
              )} />
            ),
          )}
        </Breadcrumb>
      </PageSection>
      <ScreenHeader title={`Bucket ${bucket}`} />
      <PageSection>
        <Uploader bucket={bucket} prefix={prefix} onUploaded={listing.refresh} />
        <ErrorAlert message={runner.error} />
        <PolledView polled={listing}>
          {(l) =>
            l.objects.length === 0 && l.prefixes.length === 0 ? (
              <EmptyRows title={prefix ? 'Empty folder' : 'No objects'} />
            ) : (
              <>
                <Table aria-label="Objects" variant="compact" data-testid="s3-objects-table">
                  <Thead>
                    <Tr>
                      <Th>Name</Th>
                      <Th>Size</Th>
                      <Th>Type</Th>
                      <Th>Modified</Th>
                      <Th>ETag</Th>
                      <Th screenReaderText="Actions" />
                    </Tr>
                  </Thead>
                  <Tbody>
                    {l.prefixes.map((p) => (
                      <Tr key={`p:${p}`} data-testid={`s3-folder-${childName(p, prefix)}`}>
                        <Td dataLabel="Name">
                          <Button variant="link" isInline icon={<FolderIcon />} onClick={() => go(p)}>
                            {childName(p, prefix)}
                          </Button>
                        </Td>
                        <Td dataLabel="Size">—</Td>
                        <Td dataLabel="Type">folder</Td>
                        <Td dataLabel="Modified">—</Td>
                        <Td dataLabel="ETag">—</Td>
                        <Td />
                      </Tr>
                    ))}
                    {l.objects.map((o) => (
                      <Tr key={`o:${o.key}`} data-testid={`s3-object-${childName(o.key, prefix)}`}>
                        <Td dataLabel="Name">{childName(o.key, prefix)}</Td>
                        <Td dataLabel="Size">{formatBytes(o.sizeBytes)}</Td>
                        <Td dataLabel="Type">{o.contentType ?? '—'}</Td>
                        <Td dataLabel="Modified">{formatTime(o.lastModified)}</Td>
                        <Td dataLabel="ETag">{o.etag}</Td>
                        <Td isActionCell className="keel-row-actions">
                          <Button
                            variant="secondary"
                            size="sm"
                            isLoading={runner.busy === `get:${o.key}`}
                            isDisabled={!!runner.busy}
                            onClick={() => download(o)}
                            aria-label={`Download ${o.key}`}
                          >
                            Download
                          </Button>{' '}
                          <DangerRowButton ariaLabel={`Delete ${o.key}`} onClick={() => setDeleting(o)} />
                        </Td>
                      </Tr>
                    ))}
                  </Tbody>
                </Table>
                {l.next ? (
                  <Button variant="link" onClick={() => setPages(pages + 1)}>
                    Load more
                  </Button>
                ) : null}
              </>
            )
          }
        </PolledView>
      </PageSection>
      <DangerConfirm
        target={deleting}
        title="Delete object?"
        onConfirm={(o) => api.deleteS3Object(bucket, o.key)}
        onClose={() => setDeleting(undefined)}
        onDone={listing.refresh}
      >
        {(o) => `Object ${o.key} will be deleted.`}
      </DangerConfirm>
    </>
  );
}
