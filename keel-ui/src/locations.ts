import type { LocationView } from './api/types';

export interface RackPath {
  id: string;
  label: string;
}

/** Every rack as "room / row / rack", sorted, for pickers. */
export function rackPaths(locations: LocationView[]): RackPath[] {
  const byId = new Map(locations.map((l) => [l.id, l]));
  const pathOf = (l: LocationView): string => {
    const parent = l.parentId ? byId.get(l.parentId) : undefined;
    return parent ? `${pathOf(parent)} / ${l.name}` : l.name;
  };
  return locations
    .filter((l) => l.type === 'rack')
    .map((l) => ({ id: l.id, label: pathOf(l) }))
    .sort((a, b) => a.label.localeCompare(b.label));
}

/** The type a child of a location has: room -> row -> rack; null under a rack. */
export function childType(type: LocationView['type'] | null): LocationView['type'] | null {
  if (type === null) return 'room';
  if (type === 'room') return 'row';
  if (type === 'row') return 'rack';
  return null;
}

/** Locations in tree order (each followed by its children, names sorted) with their depth. */
export function locationTree(locations: LocationView[]): { location: LocationView; depth: number }[] {
  const out: { location: LocationView; depth: number }[] = [];
  const children = (parent: string | null) =>
    locations.filter((l) => (l.parentId ?? null) === parent).sort((a, b) => a.name.localeCompare(b.name));
  const walk = (parent: string | null, depth: number) => {
    for (const l of children(parent)) {
      out.push({ location: l, depth });
      walk(l.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}
