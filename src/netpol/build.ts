import { PalisadeError } from '../core/errors.js';
import type { Resource } from '../core/load.js';
import { cniCaveats } from './cniCaveats.js';
import { netpolError } from './errors.js';
import { DEFAULT_TUNING, Engine, type EngineTuning } from './eval/engine.js';
import type { AdminPolicy, IpPeer, Namespace, NetworkPolicy, Peer, PodPeer, PolicySet } from './model.js';
import { parseAdminPolicy } from './parse/adminPolicy.js';
import { metadataOf } from './parse/common.js';
import { parseNetworkPolicy } from './parse/networkPolicy.js';
import { OperatorPolicyResource, operatorNetworkPolicies } from './operatorPolicies.js';
import { collectPeers, sameLabels } from './peers.js';
import type { WorkloadTable } from '../workloads/index.js';
import { atoms, type IpFamily, type IpSet } from './sets/ipSet.js';

export type CompatMode = 'np-guard' | 'cluster';

/** What each mode changes, in one place (research/netpol.md §6). */
export const MODES: Record<CompatMode, { builtinKindsOnly: boolean; operatorPolicies: boolean; namedPortToIpIsError: boolean; ipBlockMatchesPods: boolean; cniCaveats: boolean; duplicateNamespaceIsError: boolean; legacyNamespacePeers: boolean; unknownFieldsAreErrors: boolean; families: readonly IpFamily[] }> = {
  'np-guard': { builtinKindsOnly: true, operatorPolicies: false, namedPortToIpIsError: true, ipBlockMatchesPods: false, cniCaveats: false, duplicateNamespaceIsError: true, legacyNamespacePeers: false, unknownFieldsAreErrors: false, families: [4] },
  cluster: { builtinKindsOnly: false, operatorPolicies: true, namedPortToIpIsError: false, ipBlockMatchesPods: true, cniCaveats: true, duplicateNamespaceIsError: false, legacyNamespacePeers: true, unknownFieldsAreErrors: true, families: [4, 6] },
};

/** The API group of each policy kind. */
export const POLICY_GROUPS = { NetworkPolicy: 'networking.k8s.io', AdminNetworkPolicy: 'policy.networking.k8s.io', BaselineAdminNetworkPolicy: 'policy.networking.k8s.io', ClusterNetworkPolicy: 'policy.networking.k8s.io' } as const;

/** AdminNetworkPolicy, BaselineAdminNetworkPolicy (v1alpha1) or ClusterNetworkPolicy (v1alpha2). */
export function isAdminPolicy(resource: Resource): boolean {
  return isPolicy(resource, 'AdminNetworkPolicy') || isPolicy(resource, 'BaselineAdminNetworkPolicy') || isPolicy(resource, 'ClusterNetworkPolicy');
}

export interface NetpolModel {
  mode: CompatMode;
  engine: Engine;
  pods: PodPeer[];
  /** External address ranges that can open connections (np-guard's source-side atoms). */
  sourceIps: IpPeer[];
  /** External address ranges that can be reached (destination-side atoms). */
  destinationIps: IpPeer[];
  namespaces: Map<string, Namespace>;
  policies: PolicySet;
  /** Invalid policies: when there is any, no answer is true (exit 2). */
  errors: PalisadeError[];
  warnings: PalisadeError[];
}

function isPolicy(resource: Resource, kind: keyof typeof POLICY_GROUPS): boolean {
  return resource.object.kind === kind && String(resource.object.apiVersion).startsWith(`${POLICY_GROUPS[kind]}/`);
}

/** Peers gathered beforehand, file by file (the audit session), instead of from `resources`. */
export interface CollectedPeers {
  pods: PodPeer[];
  namespaces: Map<string, Namespace>;
}

/** Parses and validates every policy, collects the peers and builds the engine (when first read). Pure. */
export function buildModel(resources: readonly Resource[], mode: CompatMode = 'cluster', tuning: EngineTuning = DEFAULT_TUNING, table?: WorkloadTable, collected?: CollectedPeers): NetpolModel {
  const settings = MODES[mode];
  const errors: PalisadeError[] = [];
  const warnings: PalisadeError[] = [];
  const networkPolicies: NetworkPolicy[] = [];
  const adminPolicies: AdminPolicy[] = [];
  const baselines: AdminPolicy[] = [];
  const seen = new Map<string, Resource>();
  // The policies operators create (KubeRay's for spec.networkPolicy) are part of the cluster as it will run.
  const generated = settings.operatorPolicies ? operatorNetworkPolicies(resources) : { resources: [], warnings: [] };
  warnings.push(...generated.warnings);
  for (const resource of generated.resources.length > 0 ? [...resources, ...generated.resources] : resources) {
    const isNetpol = isPolicy(resource, 'NetworkPolicy');
    const isAdmin = isAdminPolicy(resource);
    if (!isNetpol && !isAdmin && resource.object.kind !== 'Namespace') continue;
    const { name, namespace } = metadataOf(resource.object);
    const key = `${String(resource.object.kind)} ${isNetpol ? `${namespace}/` : ''}${name}`;
    const earlier = seen.get(key);
    // netpol-analyzer refuses any namespace declared twice; repositories often declare one in
    // several bases, which is harmless when the labels agree.
    if (earlier && resource.object.kind === 'Namespace' && !settings.duplicateNamespaceIsError) {
      if (!sameLabels(metadataOf(earlier.object).labels, metadataOf(resource.object).labels)) warnings.push(new PalisadeError('NETPOL_NAMESPACE_LABELS_DIFFER', `Namespace ${name} is declared again with other labels; selectors are matched against the labels of the first declaration`, { errorClass: 'warning', location: resource.locate('/metadata/labels') }));
      continue;
    }
    if (earlier && resource.object.kind !== 'BaselineAdminNetworkPolicy') {
      errors.push(netpolError('NETPOL_DUPLICATE_NAME', key, resource.locate('/metadata/name')));
      continue;
    }
    seen.set(key, resource);
    if (isNetpol) {
      const parsed = parseNetworkPolicy(resource, { namedPortToIpIsError: settings.namedPortToIpIsError, unknownFieldsAreErrors: settings.unknownFieldsAreErrors, ...(resource instanceof OperatorPolicyResource ? { describedAs: resource.description } : {}) });
      errors.push(...parsed.errors);
      warnings.push(...parsed.warnings);
      if (settings.cniCaveats) warnings.push(...cniCaveats(resource));
      if (parsed.policy) networkPolicies.push(parsed.policy);
    } else if (isAdmin) {
      const parsed = parseAdminPolicy(resource, { legacyNamespacePeers: settings.legacyNamespacePeers });
      errors.push(...parsed.errors);
      warnings.push(...parsed.warnings);
      if (!parsed.policy) continue;
      if (parsed.policy.kind === 'BaselineAdminNetworkPolicy' && baselines.some((b) => b.kind === 'BaselineAdminNetworkPolicy')) errors.push(netpolError('BANP_NOT_SINGLETON', '', resource.locate('/metadata/name')));
      else (parsed.policy.tier === 'Admin' ? adminPolicies : baselines).push(parsed.policy);
    }
  }
  // Within a tier, two policies of one priority that match one connection are applied in an order
  // the API leaves to the implementation.
  for (const tier of [adminPolicies, baselines]) {
    const byPriority = new Map<number, AdminPolicy>();
    for (const policy of tier.filter((p) => Number.isFinite(p.priority))) {
      const other = byPriority.get(policy.priority);
      if (other) errors.push(netpolError('ANP_DUPLICATE_PRIORITY', `${other.origin.policy} and ${policy.origin.policy} both have priority ${policy.priority}`, policy.origin.location));
      byPriority.set(policy.priority, policy);
    }
    tier.sort((a, b) => a.priority - b.priority);
  }

  const { pods, namespaces, warnings: peerWarnings } = collected ? { ...collected, warnings: [] } : collectPeers(resources, { builtinKindsOnly: settings.builtinKindsOnly, ...(table ? { table } : {}) });
  warnings.push(...peerWarnings);
  // np-guard treats hostNetwork pods as ordinary pods; real CNIs cannot isolate them.
  if (settings.cniCaveats) for (const pod of pods.filter((p) => p.hostNetwork)) warnings.push(new PalisadeError('NETPOL_CNI_HOST_NETWORK', `${pod.id} uses hostNetwork: NetworkPolicies do not isolate it on most CNIs, and its traffic carries the node's address`, { errorClass: 'warning', ...(pod.location ? { location: pod.location } : {}) }));
  const policies: PolicySet = { networkPolicies, adminPolicies, baselinePolicies: baselines };
  const sourceIps = ipPeers(referencedBlocks(policies, 'ingress'), settings.families);
  const destinationIps = ipPeers(referencedBlocks(policies, 'egress'), settings.families);
  const peers: Peer[] = [...pods, ...sourceIps, ...destinationIps];
  // Built on first use: the layered (Calico, Cilium, Istio) path reads only this model's errors and warnings.
  let engine: Engine | undefined;
  return {
    mode,
    get engine(): Engine {
      return (engine ??= new Engine(peers, namespaces, policies, { ipBlockMatchesPods: settings.ipBlockMatchesPods }, tuning));
    },
    pods,
    sourceIps,
    destinationIps,
    namespaces,
    policies,
    errors,
    warnings,
  };
}

/**
 * The Admin tier (ANPs, ClusterNetworkPolicies of tier Admin) and the Baseline tier (the BANP,
 * ClusterNetworkPolicies of tier Baseline) of the input, each in priority order, parsed and checked
 * as buildModel does (duplicate names and priorities, the BANP singleton), for the layered engine,
 * which runs them in Calico's tiers (calico/adminTiers.ts).
 */
export function adminPolicySet(resources: readonly Resource[]): { adminPolicies: readonly AdminPolicy[]; baselinePolicies: readonly AdminPolicy[]; errors: PalisadeError[]; warnings: PalisadeError[] } {
  const model = buildModel(resources.filter(isAdminPolicy), 'cluster');
  return { adminPolicies: model.policies.adminPolicies, baselinePolicies: model.policies.baselinePolicies, errors: model.errors, warnings: model.warnings };
}

/** Every address set a rule of this direction names: ipBlocks, and ANP/BANP networks on egress. */
function referencedBlocks(policies: PolicySet, direction: 'ingress' | 'egress'): IpSet[] {
  const out: IpSet[] = [];
  for (const policy of policies.networkPolicies) for (const rule of policy[direction] ?? []) for (const peer of rule.peers ?? []) if (peer.type === 'ipBlock') out.push(peer.ips);
  for (const policy of [...policies.adminPolicies, ...policies.baselinePolicies]) {
    for (const rule of policy[direction]) for (const peer of rule.peers) if (peer.type === 'networks') out.push(...peer.ips);
  }
  return out;
}

function ipPeers(blocks: readonly IpSet[], families: readonly IpFamily[]): IpPeer[] {
  return families.flatMap((family) => atoms(family, blocks.filter((b) => b.family === family)).map((ips): IpPeer => ({ type: 'ip', id: `${ips.toString()}[External]`, ips })));
}
