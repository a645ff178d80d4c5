// Launches the system chromium headless in a throwaway profile and hands its page to the journey.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { TIMEOUT_MS, opts } from './options.mjs';
import { pageErrors } from './runner.mjs';
import { shot } from './ui.mjs';

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

/** Runs `journey(page)`; a failing journey leaves failure.png behind. The profile is removed either way. */
export async function withBrowser(journey) {
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
        // Only when asked: a node started with --tls has a self-signed certificate.
        ignoreHTTPSErrors: opts['ignore-https-errors'],
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
  } finally {
    await context?.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  }
}
