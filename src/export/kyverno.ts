import type { ExportBundle, ExportedBinding, ExportedPolicy } from './policy.js';
import type { KubeObject } from './vap.js';
import type { MatchKind } from './workloads.js';

/**
 * Kyverno ClusterPolicy (kyverno.io/v1) with `validate.cel`: the same variables and expressions as
 * the ValidatingAdmissionPolicy, one ClusterPolicy per binding (Kyverno's failure action and
 * warnings are per rule and per policy). enforce → failureAction Enforce; warn → Audit with
 * emitWarning; audit → Audit.
 */

/** Kyverno's kind selector: `Kind` for the core group, `group/*\/Kind` otherwise (knative Service ≠ core Service). */
export function kyvernoKinds(match: readonly MatchKind[]): string[] {
  return match.flatMap((m) => m.groups.map((group) => (group === '' ? m.kind : `${group}/*/${m.kind}`)));
}

function kyvernoPolicy(policy: ExportedPolicy, binding: ExportedBinding): KubeObject {
  const enforce = binding.modes.includes('enforce');
  const warn = !enforce && binding.modes.includes('warn');
  const resources: Record<string, unknown> = { kinds: kyvernoKinds(policy.match), operations: ['CREATE', 'UPDATE'] };
  if (binding.namespaceSelector) resources.namespaceSelector = binding.namespaceSelector;
  return {
    apiVersion: 'kyverno.io/v1',
    kind: 'ClusterPolicy',
    metadata: {
      name: binding.name,
      labels: { 'app.kubernetes.io/managed-by': 'palisade' },
      annotations: {
        'policies.kyverno.io/title': policy.name,
        'policies.kyverno.io/category': policy.category,
        'policies.kyverno.io/severity': policy.severity,
        'policies.kyverno.io/subject': 'Pod',
        'policies.kyverno.io/description': policy.description,
      },
    },
    spec: {
      background: true,
      ...(warn ? { emitWarning: true } : {}),
      rules: [
        {
          name: policy.name.length <= 63 ? policy.name : policy.name.slice(0, 63),
          match: { any: [{ resources }] },
          ...(policy.matchConditions.length > 0 ? { celPreconditions: policy.matchConditions.map((c) => ({ ...c })) } : {}),
          validate: {
            failureAction: enforce ? 'Enforce' : 'Audit',
            cel: {
              variables: policy.variables.map((v) => ({ ...v })),
              expressions: policy.validations.map((v) => ({ expression: v.expression, message: v.message, reason: 'Forbidden' })),
            },
          },
        },
      ],
    },
  };
}

export function toKyverno(bundle: ExportBundle): KubeObject[] {
  const byName = new Map(bundle.policies.map((p) => [p.name, p]));
  return bundle.bindings.map((binding) => kyvernoPolicy(byName.get(binding.policy)!, binding));
}
