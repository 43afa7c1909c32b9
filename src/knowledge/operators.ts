import { getAtPointer, joinPointer } from '../core/pointer.js';
import { KUBERAY_SUBMITTER_LABELS, kuberayNetworkPolicyConfig } from './kuberayNetworkPolicies.js';

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
 * KServe labels the pods of an InferenceService component with the InferenceService's own labels,
 * then the component's `labels`, then `serving.kserve.io/inferenceservice: <name>` and
 * `component: predictor|transformer|explainer` over both; in Standard (raw Deployment) mode the
 * Deployment reconciler also sets `app: isvc.<name>-<component>` (the worker pods of multi-node
 * serving: `isvc.<name>-predictor-worker`). The mode comes from the `serving.kserve.io/deploymentMode`
 * annotation, else from the cluster's inferenceservice-config, which the manifest does not show:
 * `app` is added only when the annotation says Standard (or its old name RawDeployment).
 * Sources: kserve/kserve pkg/controller/v1beta1/inferenceservice/components/predictor.go
 * (buildObjectMeta, reconcileWorker; transformer.go and explainer.go alike),
 * pkg/controller/v1beta1/inferenceservice/reconcilers/deployment/deployment_reconciler.go (the `app`
 * label), pkg/constants/constants.go (InferenceServicePodLabelKey, KServiceComponentLabel,
 * GetRawServiceLabel, PredictorServiceName, ParseDeploymentMode).
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
  /** The operator sets these labels whatever the template says (KubeRay's submitter pod). */
  overrides?: true;
  /** Where, relative to the pod spec, labels of the component sit that the operator puts over the template's (KServe's `labels`). */
  componentLabels?: string;
  /** Labels set over everything only when the object asks for a mode (KServe's `app` in Standard mode). */
  modeLabels?: { annotation: string; values: readonly string[]; labels: Readonly<Record<string, string>> };
}

const KUBERAY_COMMON = { 'ray.io/is-ray-node': 'yes', 'ray.io/cluster': '{name}', 'app.kubernetes.io/name': 'kuberay', 'app.kubernetes.io/created-by': 'kuberay-operator' } as const;

const KSERVE_GROUPS = ['serving.kserve.io', 'serving.kubeflow.org'];
const KSERVE_STANDARD_MODE = { annotation: 'serving.kserve.io/deploymentMode', values: ['Standard', 'RawDeployment'] } as const;
const kserveComponent = (component: 'predictor' | 'transformer' | 'explainer'): OperatorPodRule => ({
  podSpecSuffix: `/${component}`,
  groups: KSERVE_GROUPS,
  labels: { 'serving.kserve.io/inferenceservice': '{name}', component },
  overrides: true,
  componentLabels: 'labels',
  modeLabels: { ...KSERVE_STANDARD_MODE, labels: { app: `isvc.{name}-${component}` } },
});

export const OPERATOR_POD_RULES: readonly OperatorPodRule[] = [
  kserveComponent('predictor'),
  kserveComponent('transformer'),
  kserveComponent('explainer'),
  // Multi-node serving: the workers take the predictor's labels (reconcileWorker) and their own `app`.
  { podSpecSuffix: '/predictor/workerSpec', groups: KSERVE_GROUPS, labels: { 'serving.kserve.io/inferenceservice': '{name}', component: 'predictor' }, overrides: true, componentLabels: '../labels', modeLabels: { ...KSERVE_STANDARD_MODE, labels: { app: 'isvc.{name}-predictor-worker' } } },
  // A RayJob's submitter pod (K8sJobMode): rayjob_controller.go getSubmitterTemplate sets these over the template's.
  { podSpecSuffix: '/submitterPodTemplate/spec', groups: ['ray.io'], labels: { ...KUBERAY_SUBMITTER_LABELS, 'app.kubernetes.io/created-by': 'kuberay-operator' }, overrides: true },
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
  if (rule.componentLabels !== undefined) {
    const at = rule.componentLabels.startsWith('../') ? `${podSpecPath.slice(0, podSpecPath.lastIndexOf('/'))}/${rule.componentLabels.slice(3)}` : `${podSpecPath}/${rule.componentLabels}`;
    const own = getAtPointer(object, at);
    if (own !== null && typeof own === 'object' && !Array.isArray(own)) for (const [k, v] of Object.entries(own)) if (typeof v === 'string') labels[k] = v;
  }
  const beside = getAtPointer(object, podSpecPath.slice(0, -'/template/spec'.length) + '/groupName');
  const groupName = typeof beside === 'string' ? beside : '';
  const fill = (set: Readonly<Record<string, string>>, overrides: boolean): void => {
    for (const [key, template] of Object.entries(set)) {
      if (!overrides && Object.prototype.hasOwnProperty.call(labels, key)) continue;
      const value = template.replace('{name}', name).replace('{group}', groupName);
      labels[key] = rule.checked?.includes(key) && value !== '' ? checkLabel(value) : value;
    }
  };
  fill(rule.labels, rule.overrides === true);
  const mode = rule.modeLabels ? getAtPointer(object, joinPointer('/metadata/annotations', rule.modeLabels.annotation)) : undefined;
  if (rule.modeLabels && typeof mode === 'string' && rule.modeLabels.values.includes(mode)) fill(rule.modeLabels.labels, true);
  return labels;
}

/** Where a KubeRay pod template sits under the RayCluster spec (RayCluster, RayService's rayClusterConfig, RayJob's rayClusterSpec). */
const KUBERAY_POD_TEMPLATE = /^(.*)\/(headGroupSpec|workerGroupSpecs\/\d+)\/template\/spec$/;

/**
 * The isolation KubeRay's NetworkPolicy controller gives the pods of one pod spec of a ray.io
 * object (kuberayNetworkPolicies.ts): the policy types of its generated policy, or undefined when
 * KubeRay creates none for them.
 */
export function kuberayIsolation(object: Readonly<Record<string, unknown>>, podSpecPath: string): { ingress: boolean; egress: boolean } | undefined {
  const match = KUBERAY_POD_TEMPLATE.exec(podSpecPath);
  const found = match ? kuberayNetworkPolicyConfig(object) : undefined;
  return found && found.spec === match![1] ? found.mode : undefined;
}
