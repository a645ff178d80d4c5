// Waits and moves shared by the steps.
import { join } from 'node:path';
import { SHOTS, TIMEOUT_MS } from './options.mjs';

/** Text on one line, as a failure message quotes it. */
export function oneLine(text) {
  return text.replace(/\s+/g, ' ').trim();
}

/** A failure a wait's check has seen for sure (e.g. an ERROR status): it ends the wait at once. */
export class Fatal extends Error {}

/** Throws with the app's error alert text if one shows: the API's refusal says more than a timeout. */
async function failOnAlert(errorScope, what) {
  const alert = errorScope.getByTestId('api-error');
  if (await alert.first().isVisible().catch(() => false)) {
    const text = oneLine(await alert.first().innerText());
    throw new Error(`${what}: the UI shows an error: ${text}`);
  }
}

/**
 * Waits until `done` is visible, failing early with the app's error alert text if one shows
 * (the API's message is the most useful thing to print when a create is refused).
 */
export async function waitForOutcome(page, done, errorScope, what, timeoutMs = TIMEOUT_MS) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await done.first().isVisible().catch(() => false)) {
      return;
    }
    await failOnAlert(errorScope, what);
    await page.waitForTimeout(250);
  }
  throw new Error(`${what}: not there after ${timeoutMs / 1000} s`);
}

/** Waits until a list screen shows its table or, with no rows, its empty state. */
export async function waitForList(page, tableTestId, emptyTitle, what, errorScope = page, timeoutMs = TIMEOUT_MS) {
  await waitForOutcome(page, page.getByTestId(tableTestId).or(page.getByText(emptyTitle)), errorScope, what, timeoutMs);
}

/** Polls check() (truthy ends the wait) until the deadline, failing early on the app's error alert. */
export async function waitUntil(page, check, errorScope, what, timeoutMs = TIMEOUT_MS) {
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
      await failOnAlert(errorScope, what);
    }
    await page.waitForTimeout(500);
  }
  throw new Error(`${what}: not there after ${timeoutMs / 1000} s`);
}

/** Moves a wizard one step on; its footer's Next is the only button of that name in the dialog. */
export async function wizardNext(dialog) {
  await dialog.getByRole('button', { name: 'Next', exact: true }).click();
}

export async function shot(page, file) {
  await page.screenshot({ path: join(SHOTS, file), fullPage: true });
}

/** Opens a screen the way a user does, through the sidebar, and waits for its route. */
export async function openFromNav(page, label, hash) {
  await page.getByRole('navigation', { name: 'Keel' }).getByRole('link', { name: label, exact: true }).click();
  await page.waitForURL((url) => url.hash.startsWith(hash), { timeout: TIMEOUT_MS });
}
