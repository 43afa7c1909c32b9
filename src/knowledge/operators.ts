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
