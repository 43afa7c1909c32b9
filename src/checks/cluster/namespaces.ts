import type { Inventory, InventoryItem } from '../types.js';
import { namespaceOf } from '../exposure.js';

/**
 * Namespaces the input puts workloads in, with where to report about each: the Namespace object when
 * the input has one, else the first workload placed there. Workloads without a namespace go to the
 * namespace they are applied to, shown as "(unset)".
 */
export function workloadNamespaces(inventory: Inventory): Array<{ name: string; label: string; target: InventoryItem; path: string; workloads: number; gpu: boolean }> {
  const out = new Map<string, { name: string; label: string; target: InventoryItem; path: string; workloads: number; gpu: boolean }>();
  for (const workload of inventory.workloads) {
    const name = workload.namespace;
    let entry = out.get(name);
    if (!entry) {
      const object = inventory.namespaces.find((n) => n.ref.name === name);
      entry = { name, label: name === '' ? '(unset)' : name, target: object ?? workload, path: object ? '/metadata/name' : workload.ref.namespace !== undefined ? '/metadata/namespace' : '/metadata', workloads: 0, gpu: false };
      out.set(name, entry);
    }
    // A Deployment's ReplicaSet and pods (a live cluster's objects) are one workload, not three.
    if (!workload.controlled) entry.workloads++;
    entry.gpu ||= workload.requestsGpu;
  }
  for (const entry of out.values()) if (entry.workloads === 0) entry.workloads = inventory.workloads.filter((w) => w.namespace === entry.name).length;
  return [...out.values()];
}

export function inNamespace<T extends { ref: { namespace?: string } }>(items: readonly T[], name: string): T[] {
  return items.filter((i) => namespaceOf(i) === name);
}
