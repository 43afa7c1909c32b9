import { PSS_RULES } from './checks/index.js';
import { pssRule, type PssRule } from './meta.js';

export { PSS_RULES };

const BY_CHECK = new Map(PSS_RULES.map((r) => [r.check, r]));

/** The rule of an upstream check ID; an unknown ID (a newer upstream check) still gets a sane default. */
export function pssRuleOf(check: string): PssRule {
  return BY_CHECK.get(check) ?? pssRule({ id: check, level: 'restricted' }, { severity: 'medium', title: `Pod Security Standards: ${check}`, remediation: 'See the Pod Security Standards.', nist: ['AC-6'] });
}

/** `runAsNonRoot` → `PSS_RESTRICTED_RUN_AS_NON_ROOT`, or the hand-chosen id of the rule. */
export function pssCheckId(check: string): string {
  return pssRuleOf(check).id;
}
