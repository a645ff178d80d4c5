// The journey's command line: its flags and the deadlines derived from them.
// Parsed on import so that a bad flag exits 2 before a browser starts.
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

export const USAGE = `usage: node e2e/journey.mjs --url URL [--user superadmin] --password-file FILE [--screenshots DIR] [--timeout SECONDS]
    [--s3]                        also the S3 steps: cluster (all nodes, policy e2e-r2, s3.e2e.test, HTTP), user, key, bucket, upload/download,
                                  the overview's capacity and I/O (sends the --url host's gateway a few anonymous requests)
    [--image FILE]                also the compute steps: image e2e-img from FILE, VM e2e-vm, its serial console and monitoring
    [--image-format qcow2|raw|iso] format of FILE (default qcow2)
    [--image-timeout SECONDS]     deadline of the image upload until ACTIVE (default 600)
    [--flavor NAME]               flavor of e2e-vm (default: the smallest; e2e-tiny, 1 vCPU 128 MiB, is made if there is none)
    [--console-expect TEXT]       text the serial console must show (default "login:")
    [--console-timeout SECONDS]   deadline for that text (default 120)
    [--console-type TEXT]         typed (then Enter) into the console every 10 s until the text shows
                                  (default: just Enter, which a login prompt answers)
    [--ignore-https-errors]       accept the node's self-signed certificate (an https --url of a node started with --tls)
    [--fresh-node NAME]           instead of the journey: on a node not yet in a storage cluster, create storage cluster NAME
                                  in the browser (log in, Nodes > Create storage cluster, log out)
    [--skip STEPS]                comma-separated: iscsi, maintenance, dashboard (steps that need a node's iSCSI portals,
                                  a spare node or the monitoring history endpoint)`;

export const { values: opts } = parseArgs({
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
    'console-type': { type: 'string', default: '' },
    skip: { type: 'string', default: '' },
    'ignore-https-errors': { type: 'boolean', default: false },
    'fresh-node': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (opts.help || !opts.url || !opts['password-file']) {
  console.error(USAGE);
  process.exit(2);
}

export const BASE = opts.url.replace(/\/+$/, '');
export const TIMEOUT_MS = Number(opts.timeout) * 1000;
export const SHOTS = resolve(opts.screenshots);
export const IMAGE_TIMEOUT_MS = Number(opts['image-timeout']) * 1000;
export const CONSOLE_TIMEOUT_MS = Number(opts['console-timeout']) * 1000;
// Starting a VM, entering and leaving maintenance (VMs migrate) take longer than a form.
export const SLOW_TIMEOUT_MS = Math.max(TIMEOUT_MS, 180_000);
export const SKIP = new Set(
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

export const password = readFileSync(opts['password-file'], 'utf8').replace(/\r?\n$/, '');
mkdirSync(SHOTS, { recursive: true });
