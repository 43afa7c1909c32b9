import { PalisadeError } from '../core/errors.js';
import { Resource } from '../core/load.js';
import { kuberayNetworkPolicies } from '../knowledge/index.js';
import { asArray, asObject, metadataOf } from './parse/common.js';

/**
 * A NetworkPolicy an operator creates from a custom resource of the input. Its positions are the
 * owner's: a rule the user wrote in the owner's spec is located there, what the operator adds
 * at the field that asks for it.
 */
export class OperatorPolicyResource extends Resource {
  constructor(
    object: Record<string, unknown>,
    readonly owner: Resource,
    private readonly sourceOf: (pointer: string) => string,
    /** Who made it, for explanations: `KubeRay, for RayCluster ml/batch`. */
    readonly createdBy: string,
  ) {
    super(object, owner.source, () => ({ document: owner.document, node: owner.node }), owner.indexInFile, owner.documentIndex, owner.documentPointer, owner.fastPositions);
  }

  /** How explanations name it: `NetworkPolicy ml/batch-head (created by KubeRay, for RayCluster ml/batch)`. */
  get description(): string {
    const { namespace, name } = metadataOf(this.object);
    return `NetworkPolicy ${namespace}/${name} (created by ${this.createdBy})`;
  }

  override locate(pointer: string): ReturnType<Resource['locate']> {
    return this.owner.locate(this.sourceOf(pointer));
  }
}

const ownedBy = (policy: Resource, kind: string, name: string): boolean =>
  (asArray(asObject(policy.object.metadata)?.ownerReferences) ?? []).some((raw) => {
    const ref = asObject(raw);
    return ref?.controller === true && ref.kind === kind && ref.name === name;
  });

/**
 * The NetworkPolicies operators will create for objects of the input (KubeRay's for Ray clusters
 * with `spec.networkPolicy`), so the analysis sees the isolation the cluster will have. A policy the
 * input already holds under that name is taken as it is: it is the operator's own (a live cluster's
 * objects), or a foreign one that makes KubeRay stop isolating the cluster (it refuses to take it
 * over and creates no later policy of the cluster), which is said in a warning.
 */
export function operatorNetworkPolicies(resources: readonly Resource[]): { resources: Resource[]; warnings: PalisadeError[] } {
  const out: Resource[] = [];
  const warnings: PalisadeError[] = [];
  const present = new Map<string, Resource>();
  for (const r of resources) {
    if (r.object.kind === 'NetworkPolicy' && String(r.object.apiVersion).startsWith('networking.k8s.io/')) {
      const { namespace, name } = metadataOf(r.object);
      present.set(`${namespace}/${name}`, r);
    }
  }
  for (const owner of resources) {
    if (!String(owner.object.apiVersion).startsWith('ray.io/')) continue;
    const policies = kuberayNetworkPolicies(owner.object);
    if (policies.length === 0) continue;
    const kind = String(owner.object.kind);
    const { namespace, name } = metadataOf(owner.object);
    const createdBy = `KubeRay, for ${kind} ${namespace}/${name}`;
    const made: string[] = [];
    for (const policy of policies) {
      const key = `${namespace}/${String((policy.object.metadata as Record<string, unknown>).name)}`;
      const existing = present.get(key);
      if (existing) {
        if (existing instanceof OperatorPolicyResource || (kind === 'RayCluster' && !ownedBy(existing, kind, name))) {
          warnings.push(new PalisadeError('NETPOL_OPERATOR_POLICY_CLASH', `KubeRay cannot create NetworkPolicy ${key} for ${kind} ${namespace}/${name}: another NetworkPolicy has that name, so KubeRay leaves it and creates none of the cluster's later policies (event NetworkPolicyNameCollision); only the input's policies are analysed`, { errorClass: 'warning', location: owner.locate(policy.sourceOf('')) }));
          break;
        }
        // The operator's own policy, read from the cluster: analysed as it is.
        continue;
      }
      const resource = new OperatorPolicyResource(policy.object, owner, policy.sourceOf, createdBy);
      present.set(key, resource);
      out.push(resource);
      made.push(key);
    }
    // A RayService or RayJob names its cluster after itself plus a random suffix; the policies' names follow the cluster's.
    const named = kind === 'RayCluster' ? '' : ` (the cluster ${kind} creates adds a suffix to these names)`;
    if (made.length > 0) warnings.push(new PalisadeError('NETPOL_OPERATOR_POLICY', `analysed with the NetworkPolicies KubeRay creates for ${kind} ${namespace}/${name} (spec.networkPolicy): ${made.join(', ')}${named}; KubeRay creates them only with its RayClusterNetworkPolicy feature gate on (alpha since v1.7)`, { errorClass: 'warning', location: owner.locate(policies[0]!.sourceOf('')) }));
  }
  return { resources: out, warnings };
}
