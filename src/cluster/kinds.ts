import { BUILTIN_WORKLOADS, type WorkloadKind } from '../workloads/index.js';

/**
 * What palisade reads from a cluster: one table, used by the reader (which kinds to list) and by
 * `install --print --job` (the ClusterRole's get/list/watch rules), so the two cannot drift.
 *
 * A row is read from the first of its groups that discovery says is served (apps before the old
 * extensions group: the same objects, read once). `resource` is the plural the ClusterRole names;
 * the reader uses the name discovery reports, and a test checks that the two agree.
 */
export interface ReadKind {
  groups: readonly string[];
  kind: string;
  resource: string;
  /** Why it is read (docs and the ClusterRole's comments). */
  purpose: 'workload' | 'namespace' | 'network' | 'rbac' | 'quota';
}

/** Plurals where lower-case + "s" is wrong (the API's own resource names). */
const PLURALS: Record<string, string> = { Sandbox: 'sandboxes', NetworkPolicy: 'networkpolicies', AdminNetworkPolicy: 'adminnetworkpolicies', BaselineAdminNetworkPolicy: 'baselineadminnetworkpolicies', ClusterNetworkPolicy: 'clusternetworkpolicies' };

export function resourceName(kind: string): string {
  if (PLURALS[kind]) return PLURALS[kind];
  const lower = kind.toLowerCase();
  if (/(s|x|z|ch|sh)$/.test(lower)) return `${lower}es`;
  if (/[^aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

/** Kinds read besides the workloads: what the audit's namespace, network, RBAC and quota checks look at. */
const CONTEXT_KINDS: ReadonlyArray<Omit<ReadKind, 'resource'>> = [
  { groups: [''], kind: 'Namespace', purpose: 'namespace' },
  { groups: [''], kind: 'Service', purpose: 'network' },
  { groups: ['networking.k8s.io'], kind: 'Ingress', purpose: 'network' },
  { groups: ['networking.k8s.io'], kind: 'NetworkPolicy', purpose: 'network' },
  { groups: ['policy.networking.k8s.io'], kind: 'AdminNetworkPolicy', purpose: 'network' },
  { groups: ['policy.networking.k8s.io'], kind: 'BaselineAdminNetworkPolicy', purpose: 'network' },
  { groups: ['policy.networking.k8s.io'], kind: 'ClusterNetworkPolicy', purpose: 'network' },
  { groups: [''], kind: 'ServiceAccount', purpose: 'rbac' },
  { groups: ['rbac.authorization.k8s.io'], kind: 'Role', purpose: 'rbac' },
  { groups: ['rbac.authorization.k8s.io'], kind: 'ClusterRole', purpose: 'rbac' },
  { groups: ['rbac.authorization.k8s.io'], kind: 'RoleBinding', purpose: 'rbac' },
  { groups: ['rbac.authorization.k8s.io'], kind: 'ClusterRoleBinding', purpose: 'rbac' },
  { groups: [''], kind: 'ResourceQuota', purpose: 'quota' },
  { groups: [''], kind: 'LimitRange', purpose: 'quota' },
];

/** Every kind of the workloads table that can hold a pod (Pod itself included), then the context kinds. */
export function readKinds(workloads: readonly WorkloadKind[] = BUILTIN_WORKLOADS): ReadKind[] {
  const rows: ReadKind[] = [];
  const seen = new Set<string>();
  const add = (row: ReadKind): void => {
    const key = `${row.groups.join(',')}|${row.kind}`;
    if (seen.has(key)) return;
    seen.add(key);
    rows.push(row);
  };
  for (const w of workloads) add({ groups: w.groups, kind: w.kind, resource: resourceName(w.kind), purpose: 'workload' });
  for (const c of CONTEXT_KINDS) add({ ...c, resource: resourceName(c.kind) });
  return rows;
}

export const READ_KINDS: readonly ReadKind[] = readKinds();

/** The ClusterRole rules that read exactly READ_KINDS: one rule per API group, resources sorted. */
export function readRules(kinds: readonly ReadKind[] = READ_KINDS): Array<{ apiGroups: string[]; resources: string[]; verbs: string[] }> {
  const byGroup = new Map<string, Set<string>>();
  for (const k of kinds) {
    for (const group of k.groups) {
      const set = byGroup.get(group) ?? new Set<string>();
      set.add(k.resource);
      byGroup.set(group, set);
    }
  }
  return [...byGroup.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([group, resources]) => ({ apiGroups: [group], resources: [...resources].sort(), verbs: ['get', 'list', 'watch'] }));
}
