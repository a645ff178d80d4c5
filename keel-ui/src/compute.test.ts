import { describe, expect, it } from 'vitest';
import type { FlavorView } from './api/types';
import { bySize, formatOfFile, mainAction, powerActions } from './compute';

describe('compute logic', () => {
  it('offers the power actions of a state', () => {
    expect(powerActions({ power: 'stopped' })).toEqual(['start']);
    expect(powerActions({ power: 'running' })).toContain('suspend');
    expect(powerActions({ power: 'suspended' })).toEqual(['resume', 'force-stop']);
    expect(mainAction(powerActions({ power: 'running' }))).toBe('stop');
    expect(mainAction(powerActions({ power: 'suspended' }))).toBe('resume');
    expect(mainAction(powerActions({ power: 'stopped' }))).toBe('start');
  });

  it('sorts flavors smallest first', () => {
    const f = (name: string, vcpus: number, mib: number): FlavorView => ({ name, vcpus, ramMiB: mib, ramBytes: mib << 20 });
    expect(bySize([f('b', 2, 512), f('a', 1, 512), f('t', 1, 128)]).map((x) => x.name)).toEqual(['t', 'a', 'b']);
  });

  it('guesses image formats from file names', () => {
    expect(formatOfFile('cirros-0.6.2-x86_64-disk.QCOW2')).toBe('qcow2');
    expect(formatOfFile('debian.iso')).toBe('iso');
    expect(formatOfFile('disk.raw')).toBe('raw');
    expect(formatOfFile('disk.img')).toBe('');
  });
});
