// Pure logic of the compute screens (tested in compute.test.ts).
import type { FlavorView, VmView } from './api/types';

export type VmAction = 'start' | 'stop' | 'force-stop' | 'reboot' | 'suspend' | 'resume';

/** The power actions that make sense in a VM's state. */
export function powerActions(vm: Pick<VmView, 'power'>): VmAction[] {
  switch (vm.power) {
    case 'running':
      return ['stop', 'force-stop', 'reboot', 'suspend'];
    case 'paused':
      return ['stop', 'force-stop', 'suspend'];
    case 'suspended':
      return ['resume', 'force-stop'];
    default:
      return ['start'];
  }
}

/** The action on a VM row's button: start or resume when it is possible, else stop. */
export function mainAction(actions: VmAction[]): VmAction {
  return actions.includes('start') ? 'start' : actions.includes('resume') ? 'resume' : 'stop';
}

/** Flavors smallest first (RAM, then vCPUs, then name): the create-VM wizard's default is the first. */
export function bySize(flavors: FlavorView[]): FlavorView[] {
  return [...flavors].sort((a, b) => a.ramBytes - b.ramBytes || a.vcpus - b.vcpus || a.name.localeCompare(b.name));
}

export type ImageFormat = '' | 'qcow2' | 'raw' | 'iso';

/** The format a file name suggests: .qcow2/.qcow, .raw, .iso; '' when unknown (the node learns it from the file). */
export function formatOfFile(name: string): ImageFormat {
  const lower = name.toLowerCase();
  if (lower.endsWith('.qcow2') || lower.endsWith('.qcow')) return 'qcow2';
  if (lower.endsWith('.iso')) return 'iso';
  if (lower.endsWith('.raw')) return 'raw';
  return '';
}
