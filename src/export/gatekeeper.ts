import type { ExportBundle, ExportedBinding, ExportedPolicy } from './policy.js';
import type { KubeObject } from './vap.js';

/**
 * Gatekeeper: one ConstraintTemplate (templates.gatekeeper.sh/v1) per policy, with the
 * K8sNativeValidation engine (Gatekeeper ≥ 3.16 runs it with the API server's own CEL compiler, so
 * `object`, `request` and `variables` mean the same), and one Constraint per binding.
 * enforce → enforcementAction deny; warn → warn; audit → dryrun (reported by Gatekeeper's audit).
 * Gatekeeper reserves the variable names `params` and `anyObject`; palisade uses neither.
 */

/** `palisade-pss-restricted-v1.37` → `PalisadePssRestrictedV137`; the template's name is its lowercase. */
export function constraintKind(policyName: string): string {
  return policyName
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

function template(policy: ExportedPolicy): KubeObject {
  const kind = constraintKind(policy.name);
  return {
    apiVersion: 'templates.gatekeeper.sh/v1',
    kind: 'ConstraintTemplate',
    metadata: { name: kind.toLowerCase(), labels: { 'app.kubernetes.io/managed-by': 'palisade' }, annotations: { description: policy.description } },
    spec: {
      crd: { spec: { names: { kind } } },
      targets: [
        {
          target: 'admission.k8s.gatekeeper.sh',
          code: [
            {
              engine: 'K8sNativeValidation',
              source: {
                ...(policy.matchConditions.length > 0 ? { matchCondition: policy.matchConditions.map((c) => ({ ...c })) } : {}),
                variables: policy.variables.map((v) => ({ ...v })),
                validations: policy.validations.map((v) => ({ expression: v.expression, message: v.message })),
              },
            },
          ],
        },
      ],
    },
  };
}

const ACTION = { enforce: 'deny', warn: 'warn', audit: 'dryrun' } as const;

function constraint(policy: ExportedPolicy, binding: ExportedBinding): KubeObject {
  const mode = binding.modes.includes('enforce') ? 'enforce' : binding.modes.includes('warn') ? 'warn' : 'audit';
  return {
    apiVersion: 'constraints.gatekeeper.sh/v1beta1',
    kind: constraintKind(policy.name),
    metadata: { name: binding.name, labels: { 'app.kubernetes.io/managed-by': 'palisade' } },
    spec: {
      enforcementAction: ACTION[mode],
      match: {
        kinds: policy.match.map((m) => ({ apiGroups: [...m.groups], kinds: [m.kind] })),
        ...(binding.namespaceSelector ? { namespaceSelector: binding.namespaceSelector } : {}),
      },
    },
  };
}

export function toGatekeeper(bundle: ExportBundle): KubeObject[] {
  const byName = new Map(bundle.policies.map((p) => [p.name, p]));
  return [...bundle.policies.map(template), ...bundle.bindings.map((b) => constraint(byName.get(b.policy)!, b))];
}
