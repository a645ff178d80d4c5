import { describe, expect, it } from 'vitest';
import { baseName, bucketNameProblem, childName, crumbs, folderPrefix, parentPrefix } from './s3path';

describe('bucket folder navigation', () => {
  it('builds crumbs from a prefix', () => {
    expect(crumbs('b', '')).toEqual([{ label: 'b', prefix: '' }]);
    expect(crumbs('b', 'a/b/')).toEqual([
      { label: 'b', prefix: '' },
      { label: 'a', prefix: 'a/' },
      { label: 'b', prefix: 'a/b/' },
    ]);
  });

  it('names children relative to their folder', () => {
    expect(childName('a/b/c.txt', 'a/b/')).toBe('c.txt');
    expect(childName('a/b/', 'a/')).toBe('b/');
    expect(childName('x', '')).toBe('x');
  });

  it('goes up one folder', () => {
    expect(parentPrefix('a/b/')).toBe('a/');
    expect(parentPrefix('a/')).toBe('');
    expect(parentPrefix('')).toBe('');
  });

  it('makes folder prefixes', () => {
    expect(folderPrefix('a/', 'x')).toBe('a/x/');
    expect(folderPrefix('', '/x/y/')).toBe('x/y/');
    expect(folderPrefix('', '  ')).toBeNull();
    expect(folderPrefix('', 'a/../b')).toBeNull();
  });

  it('takes base names and checks bucket names', () => {
    expect(baseName('a/b/c.txt')).toBe('c.txt');
    expect(bucketNameProblem('e2e-bucket')).toBeUndefined();
    expect(bucketNameProblem('E2E')).toBeDefined();
    expect(bucketNameProblem('ab')).toBeDefined();
    expect(bucketNameProblem('10.0.0.1')).toBeDefined();
  });
});

describe('S3 cluster status and URLs', () => {
  it('derives status from the gateways and lists URLs', async () => {
    const { s3Status, s3Urls } = await import('./s3path');
    const cluster = {
      nodes: [
        { node: 'a', nodeName: 'n1' },
        { node: 'b', nodeName: 'n2' },
      ],
      policy: 'p',
      endpoints: ['s3.x'],
      protocol: 'BOTH' as const,
      httpPort: 7480,
      httpsPort: 443,
      createdAt: '',
    };
    const node = (id: string, status: string) => ({ id, name: id, status }) as never;
    expect(s3Status(cluster, [node('a', 'HEALTHY'), node('b', 'HEALTHY')])).toBe('ready');
    expect(s3Status(cluster, [node('a', 'HEALTHY'), node('b', 'UNHEALTHY')])).toBe('degraded');
    expect(s3Status(cluster, [])).toBe('unavailable');
    expect(s3Status({ ...cluster, status: 'deploying' }, [])).toBe('deploying');
    expect(s3Urls(cluster)).toEqual(['http://s3.x:7480', 'https://s3.x']);
  });
});
