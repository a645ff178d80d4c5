// Compute (--image): compute cluster, image upload, a flavor, a running VM, its serial console and monitoring.
import { resolve } from 'node:path';
import { CONSOLE_TIMEOUT_MS, IMAGE_TIMEOUT_MS, SLOW_TIMEOUT_MS, opts } from '../lib/options.mjs';
import { IMAGE, TINY_FLAVOR, VM } from '../lib/names.mjs';
import { step } from '../lib/runner.mjs';
import { Fatal, oneLine, openFromNav, shot, waitForList, waitForOutcome, waitUntil, wizardNext } from '../lib/ui.mjs';

export async function computeSteps(page) {
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
    await waitForList(page, 'vms-table', 'No VMs', 'the compute cluster', create, SLOW_TIMEOUT_MS);
    return 'created on all nodes';
  });

  await step(`image ${IMAGE} uploaded (${opts['image-format']}) and ACTIVE`, async () => {
    await openFromNav(page, 'Images', '#/images');
    await waitForList(page, 'images-table', 'No images', 'the image list');
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
          throw new Fatal(`image ${IMAGE} is ERROR: ${oneLine(await row.innerText())}`);
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
    await waitForList(page, 'flavors-table', 'No flavors', 'the flavor list');
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
    await waitForList(page, 'vms-table', 'No VMs', 'the VM list');
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
          throw new Fatal(`VM ${VM} is ERROR: ${oneLine(await row.innerText())}`);
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
        throw new Error(`the console shows an error: ${oneLine(await alert.innerText())}`);
      }
      // A guest already at its prompt prints it again on Enter; one that printed its banner
      // before the console attached answers what --console-type sends.
      if ((await page.getByTestId('serial-state').innerText()) === 'connected' && Date.now() - nudged > 10_000) {
        await page.locator('.xterm').click();
        // Keystrokes go to the guest and its answer comes back: both directions of the console.
        if (opts['console-type']) {
          await page.keyboard.type(opts['console-type']);
        }
        await page.keyboard.press('Enter');
        nudged = Date.now();
      }
      await page.waitForTimeout(500);
    }
    if (!text.includes(expect)) {
      const tail = oneLine(text.slice(-200));
      throw new Error(`"${expect}" not on the serial console after ${CONSOLE_TIMEOUT_MS / 1000} s; it shows: ${tail || 'nothing'}`);
    }
    await shot(page, 'vm-console.png');
  });

  await step(`VNC console of ${VM} connected and drawing`, async () => {
    await page.getByTestId('serial-console').waitFor();
    await page.getByRole('button', { name: 'VNC', exact: true }).click();
    const frame = page.getByTestId('vnc-console');
    await frame.waitFor();
    // noVNC's connect event sets the state; then its canvas must have a size and show something
    // other than one colour (the guest's VGA text: the firmware's and boot loader's lines).
    const screen = await waitUntil(
      page,
      async () => {
        if ((await page.getByTestId('vnc-state').innerText()) !== 'connected') return null;
        const seen = await frame.locator('canvas').first().evaluate((canvas) => {
          const { width, height } = canvas;
          if (width === 0 || height === 0) return { width, height, colours: 0 };
          const data = canvas.getContext('2d').getImageData(0, 0, width, height).data;
          const colours = new Set();
          // Every 7th pixel is plenty to tell text from a blank screen.
          for (let i = 0; i < data.length && colours.size < 8; i += 4 * 7) {
            colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
          }
          return { width, height, colours: colours.size };
        });
        return seen.width > 0 && seen.height > 0 && seen.colours > 1 ? seen : null;
      },
      frame,
      'the VNC console connected with a non-blank screen',
      SLOW_TIMEOUT_MS / 3,
    );
    await shot(page, 'vm-vnc.png');
    return `${screen.width}x${screen.height}, ${screen.colours}+ colours`;
  });

  await step(`monitoring of ${VM}`, async () => {
    await page.getByRole('tab', { name: 'Monitoring' }).click();
    await page.getByTestId('chart-cpu').waitFor();
    // A few samples make lines out of points.
    await page.waitForTimeout(7000);
    await shot(page, 'vm-monitoring.png');
  });
}
