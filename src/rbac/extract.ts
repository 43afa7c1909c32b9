/**
 * Input objects → plain RBAC data with positions resolved once, so an audit can keep RBAC objects
 * from every file without keeping their YAML trees.
 */
import type { Location, ResourceRef } from '../core/types.js';
import { detectServer } from '../knowledge/index.js';
import type { BindingSubject, RoleId, LabelSelector, MlPodRole, PolicyRule, RbacBinding, RbacInput, RbacPod, RbacRole, SourcedRule, SubjectKind } from './types.js';
import { isPlainObject } from '../core/object.js';

type Plain = Record<string, unknown>;

/** What the loader gives: the object, its reference and a locator (absent for objects built in code). */
export interface InputObject {
  object: Plain;
  ref: ResourceRef;
  locate?: (pointer: string) => Location | undefined;
}

/** A pod spec of an input object (from the workloads table). */
export interface InputPodSpec {
  podSpecPath: string;
  spec: Plain;
  containers: ReadonlyArray<{ object: Plain }>;
}

export const RBAC_GROUP = 'rbac.authorization.k8s.io';
/** Where a namespaced object without metadata.namespace lands: `kubectl apply` without -n uses "default". */
export const DEFAULT_NAMESPACE = 'default';

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const stringMap = (v: unknown): Record<string, string> => {
  const out: Record<string, string> = {};
  if (isPlainObject(v)) for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
};
const groupOf = (apiVersion: string): string => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '');

export function emptyInput(): RbacInput {
  return { roles: [], bindings: [], pods: [], serviceAccounts: [], tokenSecrets: [], webhooks: [] };
}

export function isRbacKind(apiVersion: string, kind: string): boolean {
  return groupOf(apiVersion) === RBAC_GROUP && (kind === 'Role' || kind === 'ClusterRole' || kind === 'RoleBinding' || kind === 'ClusterRoleBinding');
}

export function toPolicyRule(value: unknown): PolicyRule {
  const r = isPlainObject(value) ? value : {};
  return { verbs: strings(r.verbs), apiGroups: strings(r.apiGroups), resources: strings(r.resources), resourceNames: strings(r.resourceNames), nonResourceURLs: strings(r.nonResourceURLs) };
}

/**
 * A selector as written. One the API server would refuse (a label value that is not a string, such
 * as YAML 1.1's unquoted `y` or `on`; an expression that is not an object, In or NotIn without
 * values, Exists or DoesNotExist with some) is kept `invalid`: read leniently, dropping the bad part
 * left an empty selector, which selects every ClusterRole.
 */
function toSelector(value: unknown): LabelSelector {
  if (!isPlainObject(value)) return { matchLabels: {}, matchExpressions: [], invalid: 'a selector must be an object' };
  const labels = value.matchLabels;
  const expressions = value.matchExpressions;
  let invalid: string | undefined;
  if (labels !== undefined && labels !== null && (!isPlainObject(labels) || Object.values(labels).some((v) => typeof v !== 'string'))) invalid = 'matchLabels values must be strings';
  if (expressions !== undefined && expressions !== null && (!Array.isArray(expressions) || !expressions.every(validExpression))) invalid ??= 'matchExpressions must be {key, operator, values} with values for In and NotIn only';
  const written = Array.isArray(expressions) ? expressions.filter(isPlainObject) : [];
  return {
    matchLabels: stringMap(labels),
    matchExpressions: written.map((e) => ({ key: typeof e.key === 'string' ? e.key : '', operator: typeof e.operator === 'string' ? e.operator : '', values: strings(e.values) })),
    ...(invalid ? { invalid } : {}),
  };
}

function validExpression(e: unknown): boolean {
  if (!isPlainObject(e) || typeof e.key !== 'string' || typeof e.operator !== 'string') return false;
  const values = e.values === undefined || e.values === null ? [] : e.values;
  if (!Array.isArray(values) || values.some((v) => typeof v !== 'string')) return false;
  if (e.operator === 'In' || e.operator === 'NotIn') return values.length > 0;
  if (e.operator === 'Exists' || e.operator === 'DoesNotExist') return values.length === 0;
  return false;
}

/**
 * Adds one input object to `into` when it is something RBAC analysis reads; `podSpecs` are the
 * object's pod specs (from the workloads table). Returns whether anything was taken.
 */
export function addObject(into: RbacInput, input: InputObject, podSpecs: readonly InputPodSpec[] = []): boolean {
  const { object, ref } = input;
  const at = (pointer: string): Location | undefined => input.locate?.(pointer);
  const metadata = isPlainObject(object.metadata) ? object.metadata : {};
  const name = typeof metadata.name === 'string' ? metadata.name : ref.name;
  const namespace = typeof metadata.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : DEFAULT_NAMESPACE;
  const labels = stringMap(metadata.labels);
  const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion : '';
  const kind = typeof object.kind === 'string' ? object.kind : '';
  const group = groupOf(apiVersion);
  let taken = false;

  if (group === RBAC_GROUP && (kind === 'Role' || kind === 'ClusterRole')) {
    const id: RoleId = kind === 'Role' ? { kind, name, namespace } : { kind, name };
    const rules: SourcedRule[] = (Array.isArray(object.rules) ? object.rules : []).map((r, index) => ({ rule: toPolicyRule(r), role: id, index, ...locAt(at, `/rules/${index}`) }));
    const role: RbacRole = { id, ref: kind === 'ClusterRole' ? { apiVersion: ref.apiVersion, kind, name } : { ...ref, namespace, name }, labels, rules, ...locAt(at, '') };
    // A ClusterRole's metadata.namespace is ignored by the API server.
    if (kind === 'ClusterRole' && isPlainObject(object.aggregationRule)) {
      const selectors = Array.isArray(object.aggregationRule.clusterRoleSelectors) ? object.aggregationRule.clusterRoleSelectors : [];
      role.aggregation = selectors.map(toSelector);
    }
    // The API server leaves a default role alone at start only when this annotation is "false".
    if (stringMap(metadata.annotations)['rbac.authorization.kubernetes.io/autoupdate'] === 'false') role.autoupdate = false;
    into.roles.push(role);
    taken = true;
  } else if (group === RBAC_GROUP && (kind === 'RoleBinding' || kind === 'ClusterRoleBinding')) {
    const roleRef = isPlainObject(object.roleRef) ? object.roleRef : {};
    const bindingNamespace = kind === 'RoleBinding' ? namespace : undefined;
    const subjects: BindingSubject[] = (Array.isArray(object.subjects) ? object.subjects : []).map((s, i) => toBindingSubject(s, bindingNamespace, at(`/subjects/${i}`)));
    const binding: RbacBinding = {
      kind,
      name,
      ...(bindingNamespace ? { namespace: bindingNamespace } : {}),
      ref: kind === 'RoleBinding' ? { ...ref, namespace, name } : { apiVersion: ref.apiVersion, kind, name },
      labels,
      roleRef: { kind: typeof roleRef.kind === 'string' ? roleRef.kind : '', name: typeof roleRef.name === 'string' ? roleRef.name : '' },
      subjects,
      ...locAt(at, ''),
      ...(at('/roleRef') ? { roleRefLocation: at('/roleRef')! } : {}),
    };
    into.bindings.push(binding);
    taken = true;
  } else if (group === '' && kind === 'ServiceAccount') {
    into.serviceAccounts.push({ ref: { ...ref, namespace, name }, namespace, name, ...(typeof object.automountServiceAccountToken === 'boolean' ? { automount: object.automountServiceAccountToken } : {}), annotations: stringMap(metadata.annotations), ...locAt(at, '') });
    taken = true;
  } else if (group === '' && kind === 'Secret' && object.type === 'kubernetes.io/service-account-token') {
    const sa = stringMap(metadata.annotations)['kubernetes.io/service-account.name'];
    if (sa) into.tokenSecrets.push({ ref: { ...ref, namespace, name }, namespace, name, serviceAccount: sa, ...locAt(at, '') });
    taken = true;
  } else if (group === 'admissionregistration.k8s.io' && (kind === 'MutatingWebhookConfiguration' || kind === 'ValidatingWebhookConfiguration')) {
    into.webhooks.push({ ref: { apiVersion: ref.apiVersion, kind, name }, kind, name, ...locAt(at, '') });
    taken = true;
  }

  for (const pod of podSpecs) {
    const spec = pod.spec;
    const sa = typeof spec.serviceAccountName === 'string' && spec.serviceAccountName !== '' ? spec.serviceAccountName : typeof spec.serviceAccount === 'string' && spec.serviceAccount !== '' ? spec.serviceAccount : 'default';
    const mlRole = mlRoleOf(kind, pod);
    const entry: RbacPod = { ref: { ...ref, namespace }, namespace, podSpecPath: pod.podSpecPath, serviceAccount: sa, ...(typeof spec.automountServiceAccountToken === 'boolean' ? { automount: spec.automountServiceAccountToken } : {}), ...(mlRole ? { mlRole } : {}), ...locAt(at, pod.podSpecPath) };
    into.pods.push(entry);
    taken = true;
  }
  return taken;
}

function locAt(at: (pointer: string) => Location | undefined, pointer: string): { location?: Location } {
  const location = at(pointer);
  return location ? { location } : {};
}

function toBindingSubject(value: unknown, bindingNamespace: string | undefined, location: Location | undefined): BindingSubject {
  const s = isPlainObject(value) ? value : {};
  const kind = typeof s.kind === 'string' ? s.kind : '';
  const name = typeof s.name === 'string' ? s.name : '';
  const known = kind === 'User' || kind === 'Group' || kind === 'ServiceAccount';
  const written = typeof s.namespace === 'string' && s.namespace !== '' ? s.namespace : undefined;
  // appliesToUser: a ServiceAccount subject defaults to the binding's namespace; in a ClusterRoleBinding without one it never matches.
  const saNamespace = written ?? bindingNamespace;
  const subject = kind === 'ServiceAccount' ? { kind: 'ServiceAccount' as SubjectKind, name, ...(saNamespace ? { namespace: saNamespace } : {}) } : { kind: (known ? kind : 'User') as SubjectKind, name };
  const inert = !known ? 'unknown-kind' : kind === 'ServiceAccount' && !saNamespace ? 'no-namespace' : undefined;
  return { subject, ...(inert ? { inert } : {}), ...(location ? { location } : {}) };
}

/** Kinds whose pods serve models, run Ray heads, notebooks or training (workloads table names). */
const MODEL_SERVER_KINDS = new Set(['InferenceService', 'ServingRuntime', 'ClusterServingRuntime', 'SeldonDeployment', 'VLLMRuntime', 'Workspace', 'LLMInferenceService']);
const TRAINING_KINDS = new Set(['PyTorchJob', 'TFJob', 'MPIJob', 'XGBoostJob', 'PaddleJob', 'JAXJob', 'MXJob', 'TrainJob', 'TrainingRuntime', 'ClusterTrainingRuntime']);

function mlRoleOf(kind: string, pod: InputPodSpec): MlPodRole | undefined {
  if (/^Ray(Cluster|Service|Job|CronJob)$/.test(kind)) return pod.podSpecPath.includes('/headGroupSpec/') ? 'ray-head' : undefined;
  if (kind === 'Notebook') return 'notebook';
  if (MODEL_SERVER_KINDS.has(kind)) return 'model-server';
  if (TRAINING_KINDS.has(kind)) return 'training';
  for (const { object } of pod.containers) {
    const image = typeof object.image === 'string' ? object.image : undefined;
    const commandLine = [...strings(object.command), ...strings(object.args)].join(' ');
    const server = detectServer(image, commandLine);
    if (!server) continue;
    if (server.role === 'inference' || server.role === 'llm') return 'model-server';
    if (server.role === 'workspace') return 'notebook';
    if (server.role === 'distributed' && /ray start\b.*--head/.test(commandLine)) return 'ray-head';
  }
  return undefined;
}
