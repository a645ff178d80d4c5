// iSCSI: a target group on two nodes with the volume as its LUN, until a path is active/optimized.
import { SLOW_TIMEOUT_MS } from '../lib/options.mjs';
import { ISCSI_GROUP, VOLUME } from '../lib/names.mjs';
import { step } from '../lib/runner.mjs';
import { openFromNav, shot, waitForList, waitForOutcome, waitUntil, wizardNext } from '../lib/ui.mjs';

export async function iscsiSteps(page, nodeNames) {
  await step(`target group ${ISCSI_GROUP} on ${nodeNames.slice(0, 2).join(', ')} with LUN ${VOLUME}, a path active/optimized`, async () => {
    if (nodeNames.length < 2) {
      throw new Error(`the target group needs two nodes; the cluster shows ${nodeNames.length}`);
    }
    await openFromNav(page, 'Block storage', '#/iscsi');
    await waitForList(page, 'iscsi-groups-table', 'No iSCSI target groups', 'the group list');
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
    await waitForList(page, 'luns-table', 'No LUNs', 'the LUN list');
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
