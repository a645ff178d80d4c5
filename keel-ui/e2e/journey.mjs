#!/usr/bin/env node
// End-to-end journey through the admin panel against a running Keel node:
//   node e2e/journey.mjs --url http://127.0.0.1:8888 --user superadmin --password-file FILE --screenshots DIR
// Prints one line per step passed; on a failure prints the step and why, and exits 1.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const USAGE =
  'usage: node e2e/journey.mjs --url URL [--user superadmin] --password-file FILE [--screenshots DIR] [--timeout SECONDS]';

const { values: opts } = parseArgs({
  options: {
    url: { type: 'string' },
    user: { type: 'string', default: 'superadmin' },
    'password-file': { type: 'string' },
    screenshots: { type: 'string', default: 'e2e-screenshots' },
    timeout: { type: 'string', default: '30' },
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
async function waitForOutcome(page, done, errorScope, what) {
  const deadline = Date.now() + TIMEOUT_MS;
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
  throw new Error(`${what}: not there after ${TIMEOUT_MS / 1000} s`);
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
  await step('nodes listed', async () => {
    await openFromNav(page, 'Nodes', '#/nodes');
    const rows = page.locator('[data-testid^="node-row-"]');
    await waitForOutcome(page, rows, page, 'a node row');
    nodeName = ((await rows.first().getAttribute('data-testid')) ?? '').replace(/^node-row-/, '');
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
