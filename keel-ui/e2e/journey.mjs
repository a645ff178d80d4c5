#!/usr/bin/env node
// End-to-end journey through the admin panel against a running Keel node:
//   node e2e/journey.mjs --url http://127.0.0.1:8888 --user superadmin --password-file FILE --screenshots DIR
//     [--s3] [--image FILE [--image-format qcow2] [--flavor NAME] [--console-expect TEXT] [--console-timeout 120]]
//     [--skip iscsi,maintenance,dashboard] [--ignore-https-errors] [--fresh-node NAME]
// Prints one line per step passed; on a failure prints the step and why, and exits 1.
// The flags are parsed (and checked) on import, before anything else runs.
import { SHOTS, SKIP, opts } from './lib/options.mjs';
import { withBrowser } from './lib/browser.mjs';
import { reportFailure, stepNo } from './lib/runner.mjs';
import { closingSteps, dashboardStep, loginSteps, logoutStep, setupSteps } from './steps/basics.mjs';
import { computeSteps } from './steps/compute.mjs';
import { freshNodeSteps } from './steps/fresh.mjs';
import { iscsiSteps } from './steps/iscsi.mjs';
import { maintenanceSteps } from './steps/maintenance.mjs';
import { s3Steps } from './steps/s3.mjs';

async function journey(page) {
  if (opts['fresh-node']) {
    await loginSteps(page);
    await freshNodeSteps(page);
    // Not the events step: its screenshot is the main journey's.
    await logoutStep(page);
    return;
  }
  const nodeNames = await setupSteps(page);
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
    await dashboardStep(page);
  }
  await closingSteps(page);
}

async function main() {
  await withBrowser(journey);
  console.log(`journey passed: ${stepNo} steps, screenshots in ${SHOTS}`);
}

main().catch(reportFailure);
