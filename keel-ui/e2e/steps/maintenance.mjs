// Maintenance of the last node: the plan, entering (its VMs move away) and leaving.
import { SLOW_TIMEOUT_MS } from '../lib/options.mjs';
import { step } from '../lib/runner.mjs';
import { openFromNav, shot, waitForOutcome, waitUntil } from '../lib/ui.mjs';

export async function maintenanceSteps(page, nodeNames) {
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
