import { describe, expect, it } from 'vitest';
import type { LocationView } from './api/types';
import { childType, locationTree, rackPaths } from './locations';

const L = (id: string, type: LocationView['type'], name: string, parentId: string | null): LocationView => ({
  id,
  type,
  name,
  parentId,
  nodeIds: type === 'rack' ? [] : null,
});

describe('locations', () => {
  const all = [L('r1', 'room', 'Room B', null), L('r0', 'room', 'Room A', null), L('w1', 'row', 'Row 1', 'r0'), L('k1', 'rack', 'Rack 7', 'w1')];

  it('lists rack paths', () => {
    expect(rackPaths(all)).toEqual([{ id: 'k1', label: 'Room A / Row 1 / Rack 7' }]);
  });

  it('walks the tree in order', () => {
    expect(locationTree(all).map((e) => `${e.depth}:${e.location.name}`)).toEqual(['0:Room A', '1:Row 1', '2:Rack 7', '0:Room B']);
  });

  it('knows child types', () => {
    expect(childType(null)).toBe('room');
    expect(childType('room')).toBe('row');
    expect(childType('row')).toBe('rack');
    expect(childType('rack')).toBeNull();
  });
});
