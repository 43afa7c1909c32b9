import { ALLOWED, containersPhrase, forbid, nameOf, specField } from '../helpers.js';
import { visitContainers, type PodMeta, type PodSpec } from '../podSpec.js';
import { pssRule } from '../meta.js';
import type { CheckResult, FieldRef, PssCheck } from '../types.js';

/*
 * Privileged Pods disable most security mechanisms and must be disallowed.
 *
 * Restricted fields:
 *   spec.containers[*].securityContext.privileged
 *   spec.initContainers[*].securityContext.privileged
 *   spec.ephemeralContainers[*].securityContext.privileged
 * Allowed values: false, undefined/null
 */

function privileged_1_0(_meta: PodMeta, spec: PodSpec): CheckResult {
  const names: string[] = [];
  const fields: FieldRef[] = [];
  for (const { container, pointer } of visitContainers(spec)) {
    if (container.securityContext?.privileged === true) {
      names.push(nameOf(container));
      fields.push(specField(pointer, 'securityContext', 'privileged'));
    }
  }
  if (names.length === 0) return ALLOWED;
  return forbid('privileged', `${containersPhrase(names)} must not set securityContext.privileged=true`, fields);
}

export const privileged: PssCheck = {
  id: 'privileged',
  level: 'baseline',
  title: 'Privileged containers',
  description: 'Privileged containers disable most security mechanisms and must be disallowed.',
  versions: [{ minimumVersion: 'v1.0', evaluate: privileged_1_0 }],
};

/** How a violation reads as a palisade finding (NIST SP 800-53 rev. 5; CIS Kubernetes Benchmark v1.9). */
export const privilegedRule = pssRule(privileged, { severity: 'critical', title: 'Container is privileged', remediation: 'Remove securityContext.privileged (or set it to false); request devices through a device plugin instead.', nist: ['AC-6', 'SC-39'], cis: ['5.2.2'] });
