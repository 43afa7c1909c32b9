import { getAtPointer } from '../core/pointer.js';

/**
 * What operators add to the pods and Services they create from a custom resource, so Services,
 * NetworkPolicies and exposure are judged as they will run. KubeRay's labelPod gives every Ray pod
 * `ray.io/is-ray-node: yes`, `ray.io/cluster: <cluster>`, `ray.io/node-type: head|worker`,
 * `ray.io/group: <worker group name>` (`headgroup` for the head, RayNodeHeadGroupLabelValue),
 * `ray.io/identifier: <cluster>-<node type>` (through CheckLabel: the last 63 characters, a leading
 * punctuation replaced by `r`), `app.kubernetes.io/name: kuberay` and
 * `app.kubernetes.io/created-by: kuberay-operator`; a label the template already has is kept (only
 * absent keys are filled in). It creates a head Service of `headGroupSpec.serviceType`.
 * Sources: ray-project/kuberay ray-operator/controllers/ray/common/pod.go (labelPod,
 * DefaultHeadPodTemplate, DefaultWorkerPodTemplate), controllers/ray/utils/constant.go
 * (RayNodeLabelKey, RayClusterLabelKey, RayNodeTypeLabelKey, RayNodeGroupLabelKey, RayIDLabelKey,
 * RayNodeHeadGroupLabelValue, ApplicationName, ComponentName), controllers/ray/utils/util.go
 * (CheckLabel, GenerateIdentifier) and controllers/ray/common/service.go (the head Service's type).
 * `{name}` in a value is the resource's name, `{group}` the `groupName` beside the pod template.
 * RayService and RayJob name the RayCluster they create after themselves plus a suffix, so for them
 * `{name}` is the closest the manifest can say.
 */
export interface OperatorPodRule {
  /** The pod spec pointer ends with this. */
  podSpecSuffix: string;
  groups: readonly string[];
  /** Labels the operator adds where the template has none of that key. */
  labels: Readonly<Record<string, string>>;
  /** Label keys whose value the operator cuts to a valid label value (KubeRay's CheckLabel). */
  checked?: readonly string[];
  /** Field beside the pod template that sets the type of the Service the operator creates. */
  serviceTypeField?: string;
}

const KUBERAY_COMMON = { 'ray.io/is-ray-node': 'yes', 'ray.io/cluster': '{name}', 'app.kubernetes.io/name': 'kuberay', 'app.kubernetes.io/created-by': 'kuberay-operator' } as const;

export const OPERATOR_POD_RULES: readonly OperatorPodRule[] = [
  { podSpecSuffix: '/headGroupSpec/template/spec', groups: ['ray.io'], labels: { ...KUBERAY_COMMON, 'ray.io/node-type': 'head', 'ray.io/group': 'headgroup', 'ray.io/identifier': '{name}-head' }, checked: ['ray.io/identifier'], serviceTypeField: 'serviceType' },
  { podSpecSuffix: '/template/spec', groups: ['ray.io'], labels: { ...KUBERAY_COMMON, 'ray.io/node-type': 'worker', 'ray.io/group': '{group}', 'ray.io/identifier': '{name}-worker' }, checked: ['ray.io/identifier'] },
];

/** The rule of a pod spec of an object of this API group, if an operator labels its pods. */
export function operatorPodRule(group: string, podSpecPath: string): OperatorPodRule | undefined {
  return OPERATOR_POD_RULES.find((r) => r.groups.includes(group) && podSpecPath.endsWith(r.podSpecSuffix));
}

/** KubeRay's CheckLabel: at most 63 characters (the last ones), not starting with punctuation. */
function checkLabel(value: string): string {
  let out = value.length > 63 ? value.slice(value.length - 63) : value;
  if (/^[\p{P}]/u.test(out)) out = 'r' + out.slice(1);
  return out;
}

/**
 * The labels the pods of a pod spec run with: the template's own, plus what the operator fills in
 * for keys the template does not set. Without an operator rule, the template's labels.
 */
export function operatorPodLabels(object: Readonly<Record<string, unknown>>, group: string, name: string, podSpecPath: string, templateLabels: Readonly<Record<string, string>>): Record<string, string> {
  const rule = operatorPodRule(group, podSpecPath);
  const labels: Record<string, string> = { ...templateLabels };
  if (!rule) return labels;
  const beside = getAtPointer(object, podSpecPath.slice(0, -'/template/spec'.length) + '/groupName');
  const groupName = typeof beside === 'string' ? beside : '';
  for (const [key, template] of Object.entries(rule.labels)) {
    if (Object.prototype.hasOwnProperty.call(labels, key)) continue;
    const value = template.replace('{name}', name).replace('{group}', groupName);
    labels[key] = rule.checked?.includes(key) && value !== '' ? checkLabel(value) : value;
  }
  return labels;
}

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
