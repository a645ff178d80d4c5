#!/usr/bin/env node
// End-to-end journey through the admin panel against a running Keel node:
//   node e2e/journey.mjs --url http://127.0.0.1:8888 --user superadmin --password-file FILE --screenshots DIR
//     [--s3] [--image FILE [--image-format qcow2] [--flavor NAME] [--console-expect TEXT] [--console-timeout 120]]
//     [--skip iscsi,maintenance,dashboard]
// Prints one line per step passed; on a failure prints the step and why, and exits 1.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const USAGE = `usage: node e2e/journey.mjs --url URL [--user superadmin] --password-file FILE [--screenshots DIR] [--timeout SECONDS]
    [--s3]                        also the S3 steps: cluster (all nodes, policy e2e-r2, s3.e2e.test, HTTP), user, key, bucket, upload/download
    [--image FILE]                also the compute steps: image e2e-img from FILE, VM e2e-vm, its serial console and monitoring
    [--image-format qcow2|raw|iso] format of FILE (default qcow2)
    [--image-timeout SECONDS]     deadline of the image upload until ACTIVE (default 600)
    [--flavor NAME]               flavor of e2e-vm (default: the smallest; e2e-tiny, 1 vCPU 128 MiB, is made if there is none)
    [--console-expect TEXT]       text the serial console must show (default "login:")
    [--console-timeout SECONDS]   deadline for that text (default 120)
    [--skip STEPS]                comma-separated: iscsi, maintenance, dashboard (steps that need a node's iSCSI portals,
                                  a spare node or the monitoring history endpoint)`;

const { values: opts } = parseArgs({
  options: {
    url: { type: 'string' },
    user: { type: 'string', default: 'superadmin' },
    'password-file': { type: 'string' },
    screenshots: { type: 'string', default: 'e2e-screenshots' },
    timeout: { type: 'string', default: '30' },
    s3: { type: 'boolean', default: false },
    image: { type: 'string' },
    'image-format': { type: 'string', default: 'qcow2' },
    'image-timeout': { type: 'string', default: '600' },
    flavor: { type: 'string' },
    'console-expect': { type: 'string', default: 'login:' },
    'console-timeout': { type: 'string', default: '120' },
    skip: { type: 'string', default: '' },
    help: { type: 'boolean', default: false },
  },
});
if (opts.help || !opts.url || !opts['password-file']) {
  console.error(USAGE);
  process.exit(2);
}

const BASE = opts.url.replace(/\/+$/, '');
const TIMEOUT_MS = Number(opts.timeout) * 1000;
const SHOTS = resolve(opts.screenshots);
const POLICY = 'e2e-r2';
const VOLUME = 'e2e-vol';
const ISCSI_GROUP = 'e2e-san';
const S3_DNS = 's3.e2e.test';
const S3_USER = 'e2e@example.com';
const S3_BUCKET = 'e2e-bucket';
const S3_OBJECT = 'e2e-hello.txt';
const IMAGE = 'e2e-img';
const VM = 'e2e-vm';
const TINY_FLAVOR = 'e2e-tiny';
const IMAGE_TIMEOUT_MS = Number(opts['image-timeout']) * 1000;
const CONSOLE_TIMEOUT_MS = Number(opts['console-timeout']) * 1000;
// Starting a VM, entering and leaving maintenance (VMs migrate) take longer than a form.
const SLOW_TIMEOUT_MS = Math.max(TIMEOUT_MS, 180_000);
const SKIP = new Set(
  opts.skip
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);
for (const name of SKIP) {
  if (!['iscsi', 'maintenance', 'dashboard'].includes(name)) {
    console.error(`--skip: unknown step ${name}\n${USAGE}`);
    process.exit(2);
  }
}
if (!['qcow2', 'raw', 'iso'].includes(opts['image-format'])) {
  console.error(`--image-format must be qcow2, raw or iso\n${USAGE}`);
  process.exit(2);
}
const CHROMIUM = process.env.KEEL_CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const password = readFileSync(opts['password-file'], 'utf8').replace(/\r?\n$/, '');
mkdirSync(SHOTS, { recursive: true });

let stepNo = 0;
let stepName = 'launch chromium';
const pageErrors = [];

async function step(name, action) {
  stepName = name;
  const started = Date.now();
  const note = await action();
  const extra = note ? ` (${note})` : '';
  stepNo += 1;
  console.log(`ok ${stepNo} ${name}${extra} [${Date.now() - started} ms]`);
}

/**
 * Waits until `done` is visible, failing early with the app's error alert text if one shows
 * (the API's message is the most useful thing to print when a create is refused).
 */
async function waitForOutcome(page, done, errorScope, what, timeoutMs = TIMEOUT_MS) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await done.first().isVisible().catch(() => false)) {
      return;
    }
    const alert = errorScope.getByTestId('api-error');
    if (await alert.first().isVisible().catch(() => false)) {
      const text = (await alert.first().innerText()).replace(/\s+/g, ' ').trim();
      throw new Error(`${what}: the UI shows an error: ${text}`);
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`${what}: not there after ${timeoutMs / 1000} s`);
}

/** A failure a wait's check has seen for sure (e.g. an ERROR status): it ends the wait at once. */
class Fatal extends Error {}

/** Polls check() (truthy ends the wait) until the deadline, failing early on the app's error alert. */
async function waitUntil(page, check, errorScope, what, timeoutMs = TIMEOUT_MS) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await check().catch((e) => {
      if (e instanceof Fatal) throw e;
      return undefined;
    });
    if (last) {
      return last;
    }
    if (errorScope) {
      const alert = errorScope.getByTestId('api-error');
      if (await alert.first().isVisible().catch(() => false)) {
        const text = (await alert.first().innerText()).replace(/\s+/g, ' ').trim();
        throw new Error(`${what}: the UI shows an error: ${text}`);
      }
    }
    await page.waitForTimeout(500);
  }
  throw new Error(`${what}: not there after ${timeoutMs / 1000} s`);
}

/** Clicks the wizard's Next button (the footer's primary button) until the step named `title` shows. */
async function wizardNext(dialog) {
  await dialog.getByRole('button', { name: 'Next', exact: true }).click();
}

async function shot(page, file) {
  await page.screenshot({ path: join(SHOTS, file), fullPage: true });
}

async function openFromNav(page, label, hash) {
  await page.getByRole('navigation', { name: 'Keel' }).getByRole('link', { name: label, exact: true }).click();
  await page.waitForURL((url) => url.hash.startsWith(hash), { timeout: TIMEOUT_MS });
}

async function journey(page) {
  await step('login page shows', async () => {
    await page.goto(`${BASE}/`, { waitUntil: 'domcontentloaded' });
    await page.locator('#login-username').waitFor({ state: 'visible' });
  });

  await step(`log in as ${opts.user}`, async () => {
    await page.locator('#login-username').fill(opts.user);
    await page.locator('#login-password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await waitForOutcome(page, page.getByRole('button', { name: 'Log out' }), page, 'login');
  });

  let nodeName = '';
  let nodeNames = [];
  await step('nodes listed', async () => {
    await openFromNav(page, 'Nodes', '#/nodes');
    const rows = page.locator('[data-testid^="node-row-"]');
    await waitForOutcome(page, rows, page, 'a node row');
    nodeNames = (await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-testid') ?? ''))).map((id) =>
      id.replace(/^node-row-/, ''),
    );
    nodeName = nodeNames[0];
    await shot(page, 'nodes.png');
    return `${await rows.count()} nodes`;
  });

  await step(`node detail of ${nodeName}`, async () => {
    await page.getByTestId(`node-row-${nodeName}`).getByRole('link', { name: nodeName, exact: true }).click();
    await page.getByRole('heading', { name: `Node ${nodeName}` }).waitFor();
    await page.getByTestId('node-overview').waitFor();
    await waitForOutcome(page, page.getByTestId('disks-table').or(page.getByText('No disks')), page, 'the disks tab');
    await shot(page, 'node-detail.png');
  });

  await step(`storage policy ${POLICY} created`, async () => {
    await openFromNav(page, 'Policies', '#/policies');
    const row = page.getByTestId(`policy-row-${POLICY}`);
    await waitForOutcome(page, page.getByTestId('policies-table').or(page.getByText('No storage policies')), page, 'the policy list');
    let note = '';
    if (await row.isVisible()) {
      note = 'exists already from an earlier run';
    } else {
      await page.getByRole('button', { name: 'Create policy' }).click();
      const dialog = page.getByRole('dialog', { name: 'Create storage policy' });
      await dialog.getByLabel('Name').fill(POLICY);
      await dialog.getByLabel('Replicas', { exact: true }).check();
      await dialog.getByLabel('Replica count').selectOption('2');
      await dialog.getByRole('button', { name: 'Create', exact: true }).click();
      await waitForOutcome(page, row, dialog, `policy ${POLICY}`);
    }
    await shot(page, 'policies.png');
    return note;
  });

  await step(`volume ${VOLUME} (1 GiB on ${POLICY}) created`, async () => {
    await openFromNav(page, 'Volumes', '#/volumes');
    const row = page.getByTestId(`volume-row-${VOLUME}`);
    await waitForOutcome(page, page.getByTestId('volumes-table').or(page.getByText('No volumes')), page, 'the volume list');
    let note = '';
    if (await row.isVisible()) {
      note = 'exists already from an earlier run';
    } else {
      await page.getByRole('button', { name: 'Create volume' }).click();
      const dialog = page.getByRole('dialog', { name: 'Create volume' });
      await dialog.getByLabel('Name').fill(VOLUME);
      await dialog.locator('#volume-size').fill('1');
      await dialog.getByLabel('Size unit').selectOption('G');
      await dialog.locator(`#volume-policy option[value="${POLICY}"]`).waitFor({ state: 'attached' });
      await dialog.getByLabel('Storage policy').selectOption(POLICY);
      await dialog.getByRole('button', { name: 'Create', exact: true }).click();
      await waitForOutcome(page, row, dialog, `volume ${VOLUME}`);
    }
    await row.getByText(POLICY).waitFor();
    await shot(page, 'volumes.png');
    return note;
  });

  if (!SKIP.has('iscsi')) {
    await iscsiSteps(page, nodeNames);
  }
  if (opts.s3) {
    await s3Steps(page, nodeNames);
  }
  if (opts.image) {
    await computeSteps(page);
  }
  if (!SKIP.has('maintenance')) {
    await maintenanceSteps(page, nodeNames);
  }
  if (!SKIP.has('dashboard')) {
    await step('monitoring dashboard, range 30m', async () => {
      await openFromNav(page, 'Dashboard', '#/dashboard');
      await page.getByTestId('dashboard-range').getByRole('button', { name: '30m', exact: true }).click();
      await waitForOutcome(page, page.locator('[data-testid="dashboard"][data-range="30m"]'), page, 'the 30m history');
      await page.getByTestId('chart-ops').waitFor();
      await shot(page, 'dashboard.png');
      const missing = page.getByTestId('dashboard-missing');
      return (await missing.isVisible()) ? (await missing.locator('.pf-v6-c-alert__description').innerText()).replace(/\s+/g, ' ').trim() : '';
    });
  }

  await step('events listed', async () => {
    await openFromNav(page, 'Events', '#/events');
    await waitForOutcome(page, page.getByTestId('events-table').or(page.getByText('No events')), page, 'the event list');
    await shot(page, 'events.png');
    return `${await page.getByTestId('event-row').count()} events`;
  });

  await step('log out', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByTestId('login-page').waitFor();
    await page.locator('#login-username').waitFor({ state: 'visible' });
  });
}

async function iscsiSteps(page, nodeNames) {
  await step(`target group ${ISCSI_GROUP} on ${nodeNames.slice(0, 2).join(', ')} with LUN ${VOLUME}, a path active/optimized`, async () => {
    if (nodeNames.length < 2) {
      throw new Error(`the target group needs two nodes; the cluster shows ${nodeNames.length}`);
    }
    await openFromNav(page, 'Block storage', '#/iscsi');
    await waitForOutcome(page, page.getByTestId('iscsi-groups-table').or(page.getByText('No iSCSI target groups')), page, 'the group list');
    const row = page.getByTestId(`iscsi-group-row-${ISCSI_GROUP}`);
    let note = '';
    if (await row.isVisible()) {
      note = 'group exists already from an earlier run';
      await row.getByRole('link', { name: ISCSI_GROUP, exact: true }).click();
    } else {
      await page.getByRole('button', { name: 'Create target group' }).click();
      const dialog = page.getByRole('dialog', { name: 'Create target group' });
      await dialog.locator('#iscsi-name').fill(ISCSI_GROUP);
      await wizardNext(dialog);
      for (const node of nodeNames.slice(0, 2)) {
        await dialog.locator(`[id="iscsi-node-${node}"]`).check();
      }
      await wizardNext(dialog);
      for (const node of nodeNames.slice(0, 2)) {
        await dialog.getByTestId(`iscsi-target-${node}`).waitFor();
      }
      await wizardNext(dialog);
      await dialog.locator(`[id="iscsi-volume-${VOLUME}"]`).check();
      await wizardNext(dialog);
      await wizardNext(dialog);
      await dialog.getByTestId('iscsi-summary').getByText(VOLUME).waitFor();
      await dialog.getByRole('button', { name: 'Create', exact: true }).click();
      await waitUntil(page, async () => page.url().includes(`#/iscsi/${ISCSI_GROUP}`), dialog, `group ${ISCSI_GROUP}`);
    }
    await page.getByRole('heading', { name: `Target group ${ISCSI_GROUP}` }).waitFor();
    const lun = page.getByTestId(`lun-row-${VOLUME}`);
    await waitForOutcome(page, page.getByTestId('luns-table').or(page.getByText('No LUNs')), page, 'the LUN list');
    if (!(await lun.isVisible())) {
      await page.getByRole('button', { name: 'Add LUN' }).click();
      const dialog = page.getByRole('dialog', { name: 'Add LUN' });
      await dialog.locator(`#lun-volume option[value="${VOLUME}"]`).waitFor({ state: 'attached' });
      await dialog.locator('#lun-volume').selectOption(VOLUME);
      await dialog.getByRole('button', { name: 'Add', exact: true }).click();
      await waitForOutcome(page, lun, dialog, `LUN ${VOLUME}`);
      note = note ? `${note}, LUN added` : 'LUN added';
    }
    await page.getByRole('tab', { name: 'Paths' }).click();
    const active = page.locator('[data-testid^="path-"][data-alua="active/optimized"]');
    await waitForOutcome(page, active, page, 'an active/optimized path', SLOW_TIMEOUT_MS);
    const via = ((await active.first().getAttribute('data-testid')) ?? '').replace(/^path-\d+-/, '');
    await shot(page, 'iscsi.png');
    return [note, `active/optimized through ${via}`].filter(Boolean).join('; ');
  });
}

async function s3Steps(page, nodeNames) {
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
    await waitForOutcome(page, page.getByTestId('s3-users-table').or(page.getByText('No S3 users')), page, 'the user list');
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
    await waitForOutcome(page, page.getByTestId('s3-keys-table').or(page.getByText('No access keys')), page, 'the key list');
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
    await waitForOutcome(page, page.getByTestId('s3-buckets-table').or(page.getByText('No buckets')), page, 'the bucket list');
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
}

async function computeSteps(page) {
  await step('compute cluster', async () => {
    await openFromNav(page, 'VMs', '#/vms');
    const create = page.getByTestId('compute-create');
    await waitForOutcome(page, create.or(page.getByTestId('vms-table')).or(page.getByText('No VMs')), page, 'the VM screen');
    if (!(await create.isVisible())) {
      return 'exists already';
    }
    for (const box of await create.locator('input[type="checkbox"]').all()) {
      await box.check();
    }
    await create.getByRole('button', { name: 'Create compute cluster' }).click();
    await waitForOutcome(page, page.getByTestId('vms-table').or(page.getByText('No VMs')), create, 'the compute cluster', SLOW_TIMEOUT_MS);
    return 'created on all nodes';
  });

  await step(`image ${IMAGE} uploaded (${opts['image-format']}) and ACTIVE`, async () => {
    await openFromNav(page, 'Images', '#/images');
    await waitForOutcome(page, page.getByTestId('images-table').or(page.getByText('No images')), page, 'the image list');
    const row = page.getByTestId(`image-row-${IMAGE}`);
    let note = '';
    const status = async () => ((await row.isVisible()) ? await row.getAttribute('data-status') : null);
    const before = await status();
    if (before === 'ERROR' || before === 'QUEUED') {
      // An earlier run's upload broke off: start afresh.
      await row.getByRole('button', { name: `Delete ${IMAGE}` }).click();
      const confirm = page.getByRole('dialog', { name: 'Delete image?' });
      await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
      await waitUntil(page, async () => !(await row.isVisible()), confirm, `deleting the ${before} image`);
      note = `deleted an earlier ${before} one`;
    } else if (before) {
      note = 'exists already from an earlier run';
    }
    if (!(await row.isVisible())) {
      await page.getByRole('button', { name: 'Upload image' }).click();
      const dialog = page.getByRole('dialog', { name: 'Upload image' });
      await dialog.locator('input[type="file"]').setInputFiles(resolve(opts.image));
      await dialog.locator('#image-name').fill(IMAGE);
      await dialog.locator('#image-format').selectOption(opts['image-format']);
      await dialog.getByRole('button', { name: 'Upload', exact: true }).click();
      await waitForOutcome(page, row, dialog, `image ${IMAGE}`);
    }
    await waitUntil(
      page,
      async () => {
        const s = await status();
        if (s === 'ERROR') {
          throw new Fatal(`image ${IMAGE} is ERROR: ${(await row.innerText()).replace(/\s+/g, ' ').trim()}`);
        }
        return s === 'ACTIVE';
      },
      page,
      `image ${IMAGE} ACTIVE`,
      IMAGE_TIMEOUT_MS,
    );
    await shot(page, 'images.png');
    return note;
  });

  let flavor = opts.flavor ?? '';
  await step('flavor for the VM', async () => {
    await openFromNav(page, 'Flavors', '#/flavors');
    await waitForOutcome(page, page.getByTestId('flavors-table').or(page.getByText('No flavors')), page, 'the flavor list');
    if (flavor) {
      await waitForOutcome(page, page.getByTestId(`flavor-row-${flavor}`), page, `flavor ${flavor} (--flavor)`);
      return flavor;
    }
    if ((await page.locator('[data-testid^="flavor-row-"]').count()) > 0) {
      return 'the smallest (the create-VM wizard picks it first)';
    }
    await page.getByRole('button', { name: 'Create flavor' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create flavor' });
    await dialog.locator('#flavor-name').fill(TINY_FLAVOR);
    await dialog.locator('#flavor-vcpus').fill('1');
    await dialog.locator('#flavor-ram').fill('128');
    await dialog.getByLabel('Size unit').selectOption('M');
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
    await waitForOutcome(page, page.getByTestId(`flavor-row-${TINY_FLAVOR}`), dialog, `flavor ${TINY_FLAVOR}`);
    flavor = TINY_FLAVOR;
    return `created ${TINY_FLAVOR}`;
  });

  await step(`VM ${VM} from ${IMAGE} running`, async () => {
    await openFromNav(page, 'VMs', '#/vms');
    await waitForOutcome(page, page.getByTestId('vms-table').or(page.getByText('No VMs')), page, 'the VM list');
    const row = page.getByTestId(`vm-row-${VM}`);
    let note = '';
    if (await row.isVisible()) {
      note = 'exists already from an earlier run';
    } else {
      await page.getByRole('button', { name: 'Create VM' }).click();
      const dialog = page.getByRole('dialog', { name: 'Create VM' });
      await dialog.locator('#vm-name').fill(VM);
      if (flavor) {
        await dialog.locator(`#vm-flavor option[value="${flavor}"]`).waitFor({ state: 'attached' });
        await dialog.locator('#vm-flavor').selectOption(flavor);
      }
      await wizardNext(dialog);
      await dialog.locator('#vm-boot-image').check();
      await dialog.locator(`#vm-image option[value="${IMAGE}"]`).waitFor({ state: 'attached' });
      await dialog.locator('#vm-image').selectOption(IMAGE);
      await wizardNext(dialog);
      await wizardNext(dialog);
      await wizardNext(dialog);
      await dialog.locator('#vm-start').check();
      await dialog.getByRole('button', { name: 'Create', exact: true }).click();
      await waitForOutcome(page, row, dialog, `VM ${VM}`, SLOW_TIMEOUT_MS);
    }
    const start = row.getByRole('button', { name: `Start ${VM}` });
    if ((await row.getAttribute('data-status')) !== 'ACTIVE' && (await start.isVisible())) {
      await start.click();
      note = [note, 'started'].filter(Boolean).join(', ');
    }
    await waitUntil(
      page,
      async () => {
        const s = await row.getAttribute('data-status');
        if (s === 'ERROR') {
          throw new Fatal(`VM ${VM} is ERROR: ${(await row.innerText()).replace(/\s+/g, ' ').trim()}`);
        }
        return s === 'ACTIVE';
      },
      page,
      `VM ${VM} ACTIVE`,
      SLOW_TIMEOUT_MS,
    );
    return note;
  });

  await step(`serial console of ${VM} shows "${opts['console-expect']}"`, async () => {
    await page.getByTestId(`vm-row-${VM}`).getByRole('link', { name: VM, exact: true }).click();
    await page.getByRole('heading', { name: `VM ${VM}` }).waitFor();
    await page.getByRole('tab', { name: 'Console' }).click();
    await page.getByTestId('serial-console').waitFor();
    const expect = opts['console-expect'];
    const deadline = Date.now() + CONSOLE_TIMEOUT_MS;
    let nudged = 0;
    let text = '';
    while (Date.now() < deadline) {
      text = await page.evaluate(() => window.__keelSerial?.text() ?? '');
      if (text.includes(expect)) {
        break;
      }
      const alert = page.getByTestId('serial-console').getByTestId('api-error');
      if (await alert.isVisible().catch(() => false)) {
        throw new Error(`the console shows an error: ${(await alert.innerText()).replace(/\s+/g, ' ').trim()}`);
      }
      // A guest already at its prompt prints it again on Enter.
      if ((await page.getByTestId('serial-state').innerText()) === 'connected' && Date.now() - nudged > 10_000) {
        await page.locator('.xterm').click();
        await page.keyboard.press('Enter');
        nudged = Date.now();
      }
      await page.waitForTimeout(500);
    }
    if (!text.includes(expect)) {
      const tail = text.slice(-200).replace(/\s+/g, ' ').trim();
      throw new Error(`"${expect}" not on the serial console after ${CONSOLE_TIMEOUT_MS / 1000} s; it shows: ${tail || 'nothing'}`);
    }
    await shot(page, 'vm-console.png');
  });

  await step(`monitoring of ${VM}`, async () => {
    await page.getByRole('tab', { name: 'Monitoring' }).click();
    await page.getByTestId('chart-cpu').waitFor();
    // A few samples make lines out of points.
    await page.waitForTimeout(7000);
    await shot(page, 'vm-monitoring.png');
  });
}

async function maintenanceSteps(page, nodeNames) {
  const node = nodeNames[nodeNames.length - 1];
  await step(`maintenance of ${node}: enter after the plan, then leave`, async () => {
    await openFromNav(page, 'Nodes', '#/nodes');
    await page.getByTestId(`node-row-${node}`).getByRole('link', { name: node, exact: true }).click();
    const status = page.getByTestId('node-status');
    await status.waitFor();
    let note = '';
    if ((await status.getAttribute('data-maintenance')) === 'true') {
      note = 'was in maintenance already';
    } else {
      await page.getByRole('button', { name: 'Enter maintenance' }).click();
      const dialog = page.getByRole('dialog', { name: `Enter maintenance: ${node}` });
      await waitForOutcome(page, dialog.getByTestId('maintenance-plan').or(dialog.getByTestId('maintenance-no-moves')), dialog, 'the plan');
      const moves = await dialog.getByTestId('maintenance-plan').locator('tbody tr').count();
      note = `${moves} VMs to move`;
      await dialog.getByRole('button', { name: 'Enter maintenance' }).click();
      await dialog.waitFor({ state: 'detached' });
    }
    await waitUntil(page, async () => (await status.getAttribute('data-maintenance')) === 'true', page, `${node} in maintenance`, SLOW_TIMEOUT_MS);
    await shot(page, 'maintenance.png');
    await page.getByRole('button', { name: 'Leave maintenance' }).click();
    await waitUntil(
      page,
      async () => (await status.getAttribute('data-maintenance')) === 'false' && (await status.getAttribute('data-status')) === 'HEALTHY',
      page,
      `${node} active again`,
      SLOW_TIMEOUT_MS,
    );
    return note;
  });
}

async function main() {
  const profile = mkdtempSync(join(tmpdir(), 'keel-e2e-chromium-'));
  let context;
  try {
    try {
      // Playwright takes the user data dir here, not as --user-data-dir in args.
      context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        args: CHROMIUM_ARGS,
        viewport: { width: 1440, height: 900 },
        timeout: TIMEOUT_MS,
      });
    } catch (e) {
      throw new Error(`launching ${CHROMIUM} (set KEEL_CHROMIUM to another chromium): ${e.message}`);
    }
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(TIMEOUT_MS);
    page.setDefaultNavigationTimeout(TIMEOUT_MS);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    try {
      await journey(page);
    } catch (e) {
      await shot(page, 'failure.png').catch(() => {});
      throw e;
    }
    console.log(`journey passed: ${stepNo} steps, screenshots in ${SHOTS}`);
  } finally {
    await context?.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  }
}

main().catch((error) => {
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  console.error(`FAILED step ${stepNo + 1} (${stepName}): ${message}`);
  for (const pageError of pageErrors) {
    console.error(`  page error: ${pageError}`);
  }
  process.exit(1);
});
