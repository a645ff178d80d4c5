// Pure helpers of the iSCSI screens (tested in iscsi.test.ts).
import type { NodeView } from './api/types';

/** CHAP secrets: initiators such as open-iscsi and Windows need 12 to 16 characters. */
export function chapSecretProblem(secret: string, again: string): string | undefined {
  if (secret.length < 12 || secret.length > 16) return 'The CHAP secret must be 12 to 16 characters long.';
  if (secret !== again) return 'The two CHAP secrets differ.';
  return undefined;
}

/** Initiator IQNs typed one per line (or separated by commas / spaces), trimmed, without duplicates. */
export function parseInitiators(text: string): string[] {
  const seen = new Set<string>();
  for (const part of text.split(/[\s,]+/)) {
    const iqn = part.trim();
    if (iqn) seen.add(iqn);
  }
  return [...seen];
}

/** Looks like an iSCSI name: iqn.YYYY-MM.reverse.domain[:...], eui.16HEX or naa.HEX. */
export function isIscsiName(name: string): boolean {
  return /^iqn\.\d{4}-\d{2}\.[a-z0-9][a-z0-9.-]*(:.+)?$/i.test(name) || /^eui\.[0-9a-f]{16}$/i.test(name) || /^naa\.[0-9a-f]{16,32}$/i.test(name);
}

/** ADDRESS:PORT, an IPv6 address in brackets. */
export function portal(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

/** The addresses a node's portal could listen on: its management address first, then its interfaces' (no loopback). */
export function portalAddresses(node: NodeView): string[] {
  const result = [node.address];
  for (const nic of node.inventory?.interfaces ?? []) {
    for (const cidr of nic.addresses) {
      const address = cidr.replace(/\/\d+$/, '');
      if (address === '127.0.0.1' || address === '::1' || address.toLowerCase().startsWith('fe80:')) continue;
      if (!result.includes(address)) result.push(address);
    }
  }
  return result;
}
