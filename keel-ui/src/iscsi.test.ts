import { describe, expect, it } from 'vitest';
import type { NodeView } from './api/types';
import { chapSecretProblem, isIscsiName, parseInitiators, portal, portalAddresses } from './iscsi';

describe('iscsi helpers', () => {
  it('checks CHAP secrets', () => {
    expect(chapSecretProblem('short', 'short')).toMatch(/12 to 16/);
    expect(chapSecretProblem('a'.repeat(17), 'a'.repeat(17))).toMatch(/12 to 16/);
    expect(chapSecretProblem('abcdefghijkl', 'abcdefghijkm')).toMatch(/differ/);
    expect(chapSecretProblem('abcdefghijkl', 'abcdefghijkl')).toBeUndefined();
  });

  it('parses initiator lists', () => {
    expect(parseInitiators(' iqn.2020-01.com.a:x\niqn.2020-01.com.b:y, iqn.2020-01.com.a:x \n\n')).toEqual([
      'iqn.2020-01.com.a:x',
      'iqn.2020-01.com.b:y',
    ]);
    expect(isIscsiName('iqn.1994-05.com.redhat:abc')).toBe(true);
    expect(isIscsiName('eui.0123456789abcdef')).toBe(true);
    expect(isIscsiName('hello')).toBe(false);
  });

  it('formats portals and lists addresses', () => {
    expect(portal('10.0.0.1', 3260)).toBe('10.0.0.1:3260');
    expect(portal('fd00::1', 3260)).toBe('[fd00::1]:3260');
    const node = {
      address: '10.0.0.1',
      inventory: {
        interfaces: [
          { name: 'lo', addresses: ['127.0.0.1/8', '::1/128'] },
          { name: 'eth0', addresses: ['10.0.0.1/24', 'fe80::1/64'] },
          { name: 'eth1', addresses: ['192.168.5.1/24'] },
        ],
      },
    } as unknown as NodeView;
    expect(portalAddresses(node)).toEqual(['10.0.0.1', '192.168.5.1']);
  });
});
