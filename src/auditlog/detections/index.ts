import type { Rule } from '../../core/rule.js';
import { anonymousRequest } from './anonymousRequest.js';
import { copyFromMlWorkload } from './copyFromMlWorkload.js';
import { execIntoMlWorkload } from './execIntoMlWorkload.js';
import { mlOperatorTokenRequest } from './mlOperatorTokenRequest.js';
import { mlServingSpecChanged } from './mlServingSpecChanged.js';
import { modelSecretReadByForeignSa } from './modelSecretReadByForeignSa.js';
import { podSecurityViolation } from './podSecurityViolation.js';
import { portForwardToMlAdminPort } from './portForwardToMlAdminPort.js';
import { portForwardToMlWorkload } from './portForwardToMlWorkload.js';
import { powerfulRoleBinding } from './powerfulRoleBinding.js';
import { systemMastersRequest } from './systemMastersRequest.js';
import type { Detection } from './types.js';
import { falcoRuleId, UPSTREAM_RULES } from './upstream.js';

export { severityOf, type Detection, type FalcoRuleBody } from './types.js';
export { DISABLED_BY_DEFAULT, falcoRuleId, UPSTREAM_RULES, type UpstreamRule } from './upstream.js';
export { sharedItems } from './lists.js';

/** palisade's own audit-log rules, in the order they are written into the bundled file. */
export const ML_DETECTIONS: readonly Detection[] = [
  execIntoMlWorkload,
  copyFromMlWorkload,
  portForwardToMlWorkload,
  portForwardToMlAdminPort,
  modelSecretReadByForeignSa,
  mlServingSpecChanged,
  powerfulRoleBinding,
  mlOperatorTokenRequest,
  podSecurityViolation,
  anonymousRequest,
  systemMastersRequest,
];

/** Every audit-log rule of the registry: Falco's bundled rules and palisade's, by Falco rule name. */
const BY_FALCO_NAME = new Map<string, Rule>([...UPSTREAM_RULES.map((r) => [r.falcoName, r.meta] as const), ...ML_DETECTIONS.map((d) => [d.falco.rule, d.meta] as const)]);

export const AUDITLOG_RULES: readonly Rule[] = [...BY_FALCO_NAME.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

/** The registration of a bundled rule; undefined for rules of users' files. */
export function registrationFor(falcoName: string): Rule | undefined {
  return BY_FALCO_NAME.get(falcoName);
}

/** The checkId a finding of this rule carries: the registration's id, else one derived from the name. */
export function checkIdFor(falcoName: string): string {
  return BY_FALCO_NAME.get(falcoName)?.id ?? falcoRuleId(falcoName);
}
