/**
 * What operators add to the pods and Services they create from a custom resource, so Services and
 * exposure are judged as they will run. KubeRay labels head pods `ray.io/node-type: head` and
 * `ray.io/cluster: <name>`, and creates a head Service of `headGroupSpec.serviceType`.
 * Sources: ray-project/kuberay ray-operator/controllers/ray/utils/constant.go (RayNodeTypeLabelKey,
 * RayClusterLabelKey, RayNodeLabelKey) and controllers/ray/common/service.go (the head Service's type).
 */
export interface OperatorPodRule {
  /** The pod spec pointer ends with this. */
  podSpecSuffix: string;
  groups: readonly string[];
  /** Labels the operator adds; `{name}` is the resource's name. */
  labels: Readonly<Record<string, string>>;
  /** Field beside the pod template that sets the type of the Service the operator creates. */
  serviceTypeField?: string;
}

export const OPERATOR_POD_RULES: readonly OperatorPodRule[] = [
  { podSpecSuffix: '/headGroupSpec/template/spec', groups: ['ray.io'], labels: { 'ray.io/node-type': 'head', 'ray.io/cluster': '{name}', 'ray.io/is-ray-node': 'yes' }, serviceTypeField: 'serviceType' },
  { podSpecSuffix: '/template/spec', groups: ['ray.io'], labels: { 'ray.io/node-type': 'worker', 'ray.io/cluster': '{name}', 'ray.io/is-ray-node': 'yes' } },
];

/**
 * KubeRay's own network isolation (RayCluster `spec.networkPolicy`, behind the operator's
 * RayClusterNetworkPolicy feature gate, alpha in v1.7). When the field is set, the NetworkPolicy
 * controller creates one NetworkPolicy for the head (`<cluster>-head`, selecting `ray.io/cluster`
 * and `ray.io/node-type: head`) and one per worker group (`<cluster>-workers-<group>`, adding
 * `ray.io/group`). `mode` (default DenyAll) decides the policy types: DenyAll both, DenyAllIngress
 * ingress only, DenyAllEgress egress only. The base rules allow all traffic to and from pods of the
 * same cluster (`ray.io/cluster: <name>`), the head also the submitter pod of an owning RayJob on
 * the dashboard port, and the user's `head`/`worker`/`workerGroups[]` rules are appended.
 * Source: ray-project/kuberay ray-operator/controllers/ray/networkpolicy_controller.go
 * (buildHeadNetworkPolicy, buildWorkerGroupNetworkPolicy, buildBaseIngressRules,
 * buildBaseEgressRules) and apis/ray/v1/raycluster_types.go (NetworkPolicyConfig).
 */
export const KUBERAY_NETWORK_POLICY_MODES: Readonly<Record<string, { ingress: boolean; egress: boolean }>> = {
  DenyAll: { ingress: true, egress: true },
  DenyAllIngress: { ingress: true, egress: false },
  DenyAllEgress: { ingress: false, egress: true },
};

/** Where a KubeRay pod template sits under the RayCluster spec (RayCluster, RayService's rayClusterConfig, RayJob's rayClusterSpec). */
const KUBERAY_POD_TEMPLATE = /^(.*)\/(headGroupSpec|workerGroupSpecs\/\d+)\/template\/spec$/;

/**
 * The isolation KubeRay's NetworkPolicy controller gives the pods of one pod spec of a ray.io
 * object: the policy types its generated policy has, or undefined when `spec.networkPolicy` is not
 * set (or its mode is not one the CRD accepts, which the API server would refuse).
 */
export function kuberayIsolation(object: Readonly<Record<string, unknown>>, podSpecPath: string): { ingress: boolean; egress: boolean } | undefined {
  const match = KUBERAY_POD_TEMPLATE.exec(podSpecPath);
  if (!match) return undefined;
  let spec: unknown = object;
  for (const key of match[1]!.split('/').slice(1)) spec = spec !== null && typeof spec === 'object' ? (spec as Record<string, unknown>)[key.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
  const config = spec !== null && typeof spec === 'object' ? (spec as Record<string, unknown>).networkPolicy : undefined;
  if (config === null || typeof config !== 'object' || Array.isArray(config)) return undefined;
  const mode = (config as Record<string, unknown>).mode;
  // The CRD defaults mode to DenyAll.
  return KUBERAY_NETWORK_POLICY_MODES[mode === undefined || mode === null ? 'DenyAll' : String(mode)];
}
