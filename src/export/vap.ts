import type { ExportBundle, ExportedBinding, ExportedPolicy, ExportMode } from './policy.js';

/**
 * ValidatingAdmissionPolicy + ValidatingAdmissionPolicyBinding (admissionregistration.k8s.io/v1,
 * GA in Kubernetes 1.30): the policy holds the CEL, each binding says where it applies and what a
 * failure does (Deny, Warn, Audit).
 */

export type KubeObject = Record<string, unknown>;

const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'palisade' };

/** enforce → Deny, warn → Warn, audit → Audit. Deny already reports; Deny with Warn is rejected by the API server. */
export function validationActions(modes: readonly ExportMode[]): string[] {
  const actions: string[] = [];
  if (modes.includes('enforce')) actions.push('Deny');
  else if (modes.includes('warn')) actions.push('Warn');
  if (modes.includes('audit')) actions.push('Audit');
  return actions;
}

export function vapPolicy(policy: ExportedPolicy): KubeObject {
  const resourceRules = policy.match.map((m) => ({
    apiGroups: [...m.groups],
    apiVersions: ['*'],
    operations: ['CREATE', 'UPDATE'],
    resources: [m.resource, ...m.subresources.map((sub) => `${m.resource}/${sub}`)],
  }));
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name: policy.name, labels: { ...MANAGED_BY }, annotations: { 'palisade.dev/description': policy.description } },
    spec: {
      failurePolicy: 'Fail',
      matchConstraints: { resourceRules },
      ...(policy.matchConditions.length > 0 ? { matchConditions: policy.matchConditions.map((c) => ({ ...c })) } : {}),
      variables: policy.variables.map((v) => ({ ...v })),
      validations: policy.validations.map((v) => ({ expression: v.expression, message: v.message, reason: 'Forbidden' })),
    },
  };
}

export function vapBinding(binding: ExportedBinding): KubeObject {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicyBinding',
    metadata: { name: binding.name, labels: { ...MANAGED_BY } },
    spec: {
      policyName: binding.policy,
      validationActions: validationActions(binding.modes),
      ...(binding.namespaceSelector ? { matchResources: { namespaceSelector: binding.namespaceSelector } } : {}),
    },
  };
}

export function toVap(bundle: ExportBundle): KubeObject[] {
  return [...bundle.policies.map(vapPolicy), ...bundle.bindings.map(vapBinding)];
}
