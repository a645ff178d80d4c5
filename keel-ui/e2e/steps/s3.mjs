// S3 (--s3): cluster, user, an access key whose secret is shown once, a bucket and an object sent and fetched back.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BASE, SLOW_TIMEOUT_MS, TIMEOUT_MS } from '../lib/options.mjs';
import { POLICY, S3_BUCKET, S3_DNS, S3_OBJECT, S3_USER } from '../lib/names.mjs';
import { step } from '../lib/runner.mjs';
import { openFromNav, shot, waitForList, waitForOutcome, waitUntil } from '../lib/ui.mjs';

export async function s3Steps(page, nodeNames) {
  await step(`S3 cluster on ${nodeNames.length} nodes (${POLICY}, ${S3_DNS}, HTTP) ready`, async () => {
    await openFromNav(page, 'S3', '#/s3');
    await waitForOutcome(page, page.getByTestId('s3-create').or(page.getByRole('tab', { name: 'Overview' })), page, 'the S3 screen');
    let note = '';
    if (await page.getByTestId('s3-create').isVisible()) {
      const form = page.getByTestId('s3-create');
      for (const node of nodeNames) {
        await form.locator(`[id="s3-node-${node}"]`).check();
      }
      await form.locator(`#s3-policy option[value="${POLICY}"]`).waitFor({ state: 'attached' });
      await form.locator('#s3-policy').selectOption(POLICY);
      await form.locator('#s3-endpoint').fill(S3_DNS);
      await form.locator('#s3-protocol-HTTP').check();
      await form.getByRole('button', { name: 'Create S3 cluster' }).click();
      await waitForOutcome(page, page.getByRole('tab', { name: 'Overview' }), form, 'the S3 cluster');
    } else {
      note = 'exists already from an earlier run';
    }
    await page.getByRole('tab', { name: 'Overview' }).click();
    const status = page.getByTestId('s3-status');
    await waitUntil(page, async () => (await status.innerText()).trim() === 'ready', page, 'S3 status ready', SLOW_TIMEOUT_MS);
    return note;
  });

  await step(`S3 user ${S3_USER} and an access key (secret shown once)`, async () => {
    await page.getByRole('tab', { name: 'Users' }).click();
    const row = page.getByTestId(`s3-user-row-${S3_USER}`);
    await waitForList(page, 's3-users-table', 'No S3 users', 'the user list');
    let note = '';
    if (await row.isVisible()) {
      note = 'user exists already';
    } else {
      await page.getByRole('button', { name: 'Create user' }).click();
      const dialog = page.getByRole('dialog', { name: 'Create S3 user' });
      await dialog.locator('#s3-user-email').fill(S3_USER);
      await dialog.getByRole('button', { name: 'Create', exact: true }).click();
      await waitForOutcome(page, row, dialog, `user ${S3_USER}`);
    }
    await page.getByRole('tab', { name: 'Keys' }).click();
    await waitForList(page, 's3-keys-table', 'No access keys', 'the key list');
    // At most 2 active keys per user: an earlier run's oldest goes first.
    const active = page.locator(`[data-testid^="s3-key-row-"][data-user="${S3_USER}"][data-state="ACTIVE"]`);
    if ((await active.count()) >= 2) {
      await active.first().getByRole('button', { name: 'Revoke' }).click();
      const confirm = page.getByRole('dialog', { name: 'Revoke access key?' });
      await confirm.getByRole('button', { name: 'Revoke', exact: true }).click();
      await waitUntil(page, async () => (await active.count()) < 2, confirm, 'the revoke');
      note = [note, 'revoked an earlier run\'s key'].filter(Boolean).join(', ');
    }
    await page.getByRole('button', { name: 'Create key' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create access key' });
    await dialog.locator('#s3-key-user').selectOption(S3_USER);
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
    const shown = page.getByRole('dialog', { name: 'Access key created' });
    await waitForOutcome(page, shown, dialog, 'the new key');
    const keyId = await shown.getByTestId('s3-new-key-id').locator('input').inputValue();
    const secret = await shown.getByTestId('s3-new-key-secret').locator('input').inputValue();
    if (secret.length < 20) {
      throw new Error(`the secret shown is "${secret.length} characters", not a secret`);
    }
    await shown.getByRole('button', { name: 'I saved it' }).click();
    await shown.waitFor({ state: 'detached' });
    await waitForOutcome(page, page.getByTestId(`s3-key-row-${keyId}`), page, `key ${keyId} in the list`);
    if ((await page.content()).includes(secret)) {
      throw new Error('the secret is still on the page after its dialog closed');
    }
    return [note, `key ${keyId}`].filter(Boolean).join(', ');
  });

  await step(`bucket ${S3_BUCKET}: upload, list, download ${S3_OBJECT}`, async () => {
    await page.getByRole('tab', { name: 'Buckets' }).click();
    const row = page.getByTestId(`s3-bucket-row-${S3_BUCKET}`);
    await waitForList(page, 's3-buckets-table', 'No buckets', 'the bucket list');
    let note = '';
    if (await row.isVisible()) {
      note = 'bucket exists already';
    } else {
      await page.getByRole('button', { name: 'Create bucket' }).click();
      const dialog = page.getByRole('dialog', { name: 'Create bucket' });
      await dialog.locator('#s3-bucket-name').fill(S3_BUCKET);
      await dialog.locator('#s3-bucket-owner').selectOption(S3_USER);
      await dialog.getByRole('button', { name: 'Create', exact: true }).click();
      await waitForOutcome(page, row, dialog, `bucket ${S3_BUCKET}`);
    }
    await row.getByRole('link', { name: S3_BUCKET, exact: true }).click();
    await page.getByRole('heading', { name: `Bucket ${S3_BUCKET}` }).waitFor();
    const dir = mkdtempSync(join(tmpdir(), 'keel-e2e-s3-'));
    try {
      const content = `Keel e2e ${new Date().toISOString()} ${Math.random().toString(36).slice(2)}\n`;
      const file = join(dir, S3_OBJECT);
      writeFileSync(file, content);
      await page.getByTestId('s3-uploader').locator('input[type="file"]').setInputFiles(file);
      await page.getByTestId('s3-uploader').getByRole('button', { name: 'Upload', exact: true }).click();
      await waitForOutcome(page, page.getByTestId('s3-upload-done'), page, 'the upload');
      const object = page.getByTestId(`s3-object-${S3_OBJECT}`);
      await waitForOutcome(page, object, page, `object ${S3_OBJECT} in the list`);
      const [download] = await Promise.all([
        page.waitForEvent('download', { timeout: TIMEOUT_MS }),
        object.getByRole('button', { name: `Download ${S3_OBJECT}` }).click(),
      ]);
      const got = readFileSync(await download.path(), 'utf8');
      if (got !== content) {
        throw new Error(`downloaded ${got.length} bytes that differ from the ${content.length} uploaded`);
      }
      await shot(page, 's3.png');
      return [note, `${content.length} bytes back as sent`].filter(Boolean).join(', ');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  await step('S3 overview: capacity and I/O', async () => {
    await openFromNav(page, 'S3', '#/s3');
    await page.getByRole('tab', { name: 'Overview' }).click();
    const usage = page.getByTestId('s3-usage');
    // The object index's counters: the object uploaded above (and any of earlier runs) is counted.
    const seen = await waitUntil(
      page,
      async () => {
        const objects = Number(await usage.getAttribute('data-objects'));
        const bytes = Number(await usage.getAttribute('data-bytes'));
        return objects >= 1 && bytes > 0 ? { objects, bytes } : null;
      },
      page.getByTestId('s3-capacity'),
      'the S3 usage counting the uploaded object',
    );
    await page.getByTestId('chart-s3-requests').waitFor();
    await page.getByTestId('chart-s3-throughput').waitFor();
    // The panel's uploads go through the API, not a gateway: send the --url node's gateway a few
    // requests of its own (anonymous ones are refused, and counted like any other), then wait for
    // the history's 10-second step that holds them.
    const port = await page.getByTestId('s3-cluster').getAttribute('data-http-port');
    const gateway = `http://${new URL(BASE).hostname}:${port}/`;
    for (let i = 0; i < 20; i++) {
      await fetch(gateway).then((r) => r.arrayBuffer()).catch(() => undefined);
    }
    const rates = page.getByTestId('s3-rates');
    const peak = await waitUntil(
      page,
      async () => {
        const v = Number(await rates.getAttribute('data-peak-requests'));
        return v > 0 ? v : null;
      },
      page.getByTestId('s3-io'),
      `requests to ${gateway} in the S3 I/O history`,
      45_000,
    );
    await shot(page, 's3-overview.png');
    return `${seen.objects} objects, ${seen.bytes} bytes; up to ${peak.toFixed(1)} requests/s`;
  });
}

