// --fresh-node NAME: on a node that is not in a storage cluster yet, create one in the browser.
import { opts } from '../lib/options.mjs';
import { step } from '../lib/runner.mjs';
import { oneLine, openFromNav, shot, waitForOutcome, waitUntil } from '../lib/ui.mjs';

export async function freshNodeSteps(page) {
  const name = opts['fresh-node'];
  await step(`storage cluster ${name} created on the Nodes screen`, async () => {
    await openFromNav(page, 'Nodes', '#/nodes');
    const create = page.getByRole('button', { name: 'Create storage cluster' });
    await waitForOutcome(page, create, page, 'the Create storage cluster button (the node is in no storage cluster yet)');
    await create.click();
    const dialog = page.getByRole('dialog', { name: 'Create storage cluster' });
    await dialog.locator('#storage-cluster-name').fill(name);
    // Only healthy nodes are chosen by default; a node outside any cluster may still say UNASSIGNED.
    const boxes = dialog.locator('input[type="checkbox"]');
    for (const box of await boxes.all()) {
      await box.check();
    }
    const chosen = await boxes.count();
    await shot(page, 'storage-cluster-create.png');
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
    await waitUntil(page, async () => !(await dialog.isVisible()), dialog, `storage cluster ${name}`);
    // The screen's poll of the cluster takes the button away once the name is set.
    await waitUntil(page, async () => !(await create.isVisible()), page, 'the storage cluster on the Nodes screen');
    const rows = page.locator('[data-testid^="node-row-"]');
    await shot(page, 'storage-cluster-created.png');
    return `${chosen} node(s): ${oneLine(await rows.first().innerText())}`;
  });
}
