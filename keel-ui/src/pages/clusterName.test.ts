import { describe, expect, it } from 'vitest';
import { clusterNameProblem } from './clusterName';

describe('clusterNameProblem', () => {
  it('accepts letters, digits and hyphens', () => {
    expect(clusterNameProblem('keel')).toBeNull();
    expect(clusterNameProblem('site-2')).toBeNull();
  });

  it('says what is wrong otherwise', () => {
    expect(clusterNameProblem('')).toBe('A name is required');
    expect(clusterNameProblem('my cluster')).toMatch(/Letters, digits and hyphens/);
    expect(clusterNameProblem('-lead')).toMatch(/Letters, digits and hyphens/);
    expect(clusterNameProblem('x'.repeat(64))).toMatch(/up to 63/);
  });
});
