import type { Rule } from '../core/rule.js';
import type { Severity } from '../core/types.js';
import type { CheckLevel, PssCheck } from './types.js';

/**
 * How a Pod Security Standards violation reads as a palisade finding: the one `Rule` shape of every
 * family, declared beside each upstream check (`checks/<id>.ts` exports `<id>Rule`). The semantics
 * live in the check; this is presentation. CIS ids are CIS Kubernetes Benchmark v1.9 section
 * 5.2/5.7; NIST SP 800-53 rev. 5 controls.
 */
export interface PssRule extends Rule {
  family: 'pss';
  /** The upstream check ID, e.g. `runAsNonRoot`. */
  check: string;
  level: CheckLevel;
}

export interface PssPresentation {
  severity: Severity;
  title: string;
  remediation: string;
  nist: string[];
  cis?: string[];
  /** A finding id chosen by hand where the upstream ID does not split into words. */
  id?: string;
}

/** The finding text: the API server's own words, the policy, and what the namespace does about it. */
const MESSAGES = { violation: 'violates PodSecurity "{policy}": {reason} ({detail}){consequence}' };

export function pssRule(check: Pick<PssCheck, 'id' | 'level'>, presentation: PssPresentation): PssRule {
  const { severity, title, remediation, nist, cis = [], id } = presentation;
  return {
    id: id ?? pssIdOf(check.id, check.level),
    family: 'pss',
    check: check.id,
    level: check.level,
    severity,
    title,
    description: `Pod Security Standards ${check.level} check \`${check.id}\`, evaluated exactly as the API server's pod-security-admission does, for every policy version from v1.0 to the newest. Reported for every pod spec palisade finds, custom resources included.`,
    remediation,
    frameworks: { pss: [check.level], 'nist-800-53': nist, ...(cis.length ? { cis } : {}) },
    messages: MESSAGES,
  };
}

/** `runAsNonRoot` → `PSS_RESTRICTED_RUN_AS_NON_ROOT`; the level suffix of upstream IDs is dropped. */
export function pssIdOf(check: string, level: CheckLevel): string {
  const base = check.replace(/_(baseline|restricted)$/, '');
  const snake = base
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/_+/g, '_')
    .toUpperCase();
  return `PSS_${level.toUpperCase()}_${snake}`;
}
