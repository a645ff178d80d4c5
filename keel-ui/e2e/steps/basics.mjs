// Steps every journey takes: log in, nodes, a storage policy and a volume; and at the end the
// dashboard, the events and logging out.
import { BASE, opts, password } from '../lib/options.mjs';
import { POLICY, VOLUME } from '../lib/names.mjs';
import { step } from '../lib/runner.mjs';
import { oneLine, openFromNav, shot, waitForList, waitForOutcome } from '../lib/ui.mjs';

/** Opens the login page and logs in. */
export async function loginSteps(page) {
  await step(`login page shows (${new URL(BASE).protocol.replace(':', '')})`, async () => {
    await page.goto(`${BASE}/`, { waitUntil: 'domcontentloaded' });
    await page.locator('#login-username').waitFor({ state: 'visible' });
  });

  await step(`log in as ${opts.user}`, async () => {
    await page.locator('#login-username').fill(opts.user);
    await page.locator('#login-password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await waitForOutcome(page, page.getByRole('button', { name: 'Log out' }), page, 'login');
  });
}

/** Logs in and creates what later steps build on; resolves with the cluster's node names. */
export async function setupSteps(page) {
  await loginSteps(page);

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
    await waitForList(page, 'disks-table', 'No disks', 'the disks tab');
    await shot(page, 'node-detail.png');
  });

  await step(`storage policy ${POLICY} created`, async () => {
    await openFromNav(page, 'Policies', '#/policies');
    const row = page.getByTestId(`policy-row-${POLICY}`);
    await waitForList(page, 'policies-table', 'No storage policies', 'the policy list');
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
    await waitForList(page, 'volumes-table', 'No volumes', 'the volume list');
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
    // A new cluster with nothing lost: the health card says so.
    const health = page.getByTestId('storage-health-body');
    await waitForOutcome(page, health, page.getByTestId('storage-health'), 'the storage health card');
    const status = await health.getAttribute('data-status');
    if (status !== 'Healthy') {
      throw new Error(`storage health is ${status}: ${oneLine(await health.innerText())}`);
    }
    await shot(page, 'volumes.png');
    return [note, `storage ${status}`].filter(Boolean).join(', ');
  });
  return nodeNames;
}

export async function dashboardStep(page) {
  await step('monitoring dashboard, range 30m', async () => {
    await openFromNav(page, 'Dashboard', '#/dashboard');
    await page.getByTestId('dashboard-range').getByRole('button', { name: '30m', exact: true }).click();
    await waitForOutcome(page, page.locator('[data-testid="dashboard"][data-range="30m"]'), page, 'the 30m history');
    await page.getByTestId('chart-ops').waitFor();
    await shot(page, 'dashboard.png');
    const missing = page.getByTestId('dashboard-missing');
    return (await missing.isVisible()) ? oneLine(await missing.locator('.pf-v6-c-alert__description').innerText()) : '';
  });
}

export async function closingSteps(page) {
  await eventsStep(page);
  await logoutStep(page);
}

async function eventsStep(page) {
  await step('events listed', async () => {
    await openFromNav(page, 'Events', '#/events');
    await waitForList(page, 'events-table', 'No events', 'the event list');
    await shot(page, 'events.png');
    return `${await page.getByTestId('event-row').count()} events`;
  });
}

export async function logoutStep(page) {
  await step('log out', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByTestId('login-page').waitFor();
    await page.locator('#login-username').waitFor({ state: 'visible' });
  });
}
