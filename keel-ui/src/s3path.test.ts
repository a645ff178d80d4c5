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
