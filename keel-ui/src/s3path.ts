// S3 screen logic: folder navigation of a bucket's keys by "/" prefixes, names, status (tested in s3path.test.ts).
import type { NodeView, S3ClusterView } from './api/types';

export interface Crumb {
  label: string;
  prefix: string;
}

/** The bucket root then one crumb per folder of the prefix: "a/b/" -> root, a/, a/b/. */
export function crumbs(bucket: string, prefix: string): Crumb[] {
  const result: Crumb[] = [{ label: bucket, prefix: '' }];
  let at = '';
  for (const part of prefix.split('/').filter((p) => p !== '')) {
    at += `${part}/`;
    result.push({ label: part, prefix: at });
  }
  return result;
}

/** A key or sub-prefix shown relative to the folder it is listed in: ("a/b/c.txt", "a/b/") -> "c.txt". */
export function childName(keyOrPrefix: string, prefix: string): string {
  return keyOrPrefix.startsWith(prefix) ? keyOrPrefix.slice(prefix.length) : keyOrPrefix;
}

/** The folder above: "a/b/" -> "a/", "a/" -> "". */
export function parentPrefix(prefix: string): string {
  const trimmed = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  const cut = trimmed.lastIndexOf('/');
  return cut < 0 ? '' : trimmed.slice(0, cut + 1);
}

/** A folder name typed by the user as a prefix under the current one: ("x", "a/") -> "a/x/"; null if unusable. */
export function folderPrefix(prefix: string, name: string): string | null {
  const clean = name.trim().replace(/^\/+|\/+$/g, '');
  if (clean === '' || clean.split('/').some((p) => p === '' || p === '.' || p === '..')) return null;
  return `${prefix}${clean}/`;
}

/** The last part of a key, for a downloaded file's name. */
export function baseName(key: string): string {
  const parts = key.split('/').filter((p) => p !== '');
  return parts[parts.length - 1] ?? key;
}

/** S3 bucket names: 3-63 of a-z, 0-9, '.', '-', starting and ending with a letter or digit, not an IP address. */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return 'Bucket names have 3 to 63 characters.';
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) return 'Lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit.';
  if (/\.\./.test(name) || /^\d+\.\d+\.\d+\.\d+$/.test(name)) return 'No two dots in a row, and not an IP address.';
  return undefined;
}

/** The API's status when it sends one, else from the gateway nodes' health. */
export function s3Status(cluster: S3ClusterView, nodes: NodeView[]): string {
  if (cluster.status) return cluster.status;
  const healthy = cluster.nodes.filter((g) => nodes.find((n) => n.id === g.node || n.name === g.nodeName)?.status === 'HEALTHY');
  if (healthy.length === cluster.nodes.length && healthy.length > 0) return 'ready';
  return healthy.length > 0 ? 'degraded' : 'unavailable';
}

/** The URLs clients use, per endpoint and listener. */
export function s3Urls(cluster: S3ClusterView): string[] {
  const urls: string[] = [];
  for (const endpoint of cluster.endpoints) {
    if (cluster.httpPort) urls.push(`http://${endpoint}${cluster.httpPort === 80 ? '' : `:${cluster.httpPort}`}`);
    if (cluster.httpsPort) urls.push(`https://${endpoint}${cluster.httpsPort === 443 ? '' : `:${cluster.httpsPort}`}`);
  }
  return urls;
}
