import { ALLOWED, containersPhrase, deepestField, forbid, isWindowsPod, nameOf } from '../helpers.js';
import { visitContainers, type PodMeta, type PodSpec } from '../podSpec.js';
import { pssRule } from '../meta.js';
import type { CheckResult, FieldRef, PssCheck } from '../types.js';

/*
 * Privilege escalation (such as via set-user-ID or set-group-ID file mode) should not be allowed.
 *
 * Restricted fields:
 *   spec.containers[*].securityContext.allowPrivilegeEscalation
 *   spec.initContainers[*].securityContext.allowPrivilegeEscalation
 *   spec.ephemeralContainers[*].securityContext.allowPrivilegeEscalation
 * Allowed values: false
 *
 * From v1.25 Windows pods (spec.os.name: windows) are exempt.
 */

function allowPrivilegeEscalation_1_8(_meta: PodMeta, spec: PodSpec): CheckResult {
  const names: string[] = [];
  const fields: FieldRef[] = [];
  for (const { container, pointer } of visitContainers(spec)) {
    if (container.securityContext?.allowPrivilegeEscalation !== false) {
      names.push(nameOf(container));
      fields.push(deepestField(container, pointer, ['securityContext', 'allowPrivilegeEscalation']));
    }
  }
  if (names.length === 0) return ALLOWED;
  return forbid('allowPrivilegeEscalation != false', `${containersPhrase(names)} must set securityContext.allowPrivilegeEscalation=false`, fields);
}

function allowPrivilegeEscalation_1_25(meta: PodMeta, spec: PodSpec): CheckResult {
  if (isWindowsPod(spec)) return ALLOWED;
  return allowPrivilegeEscalation_1_8(meta, spec);
}

export const allowPrivilegeEscalation: PssCheck = {
  id: 'allowPrivilegeEscalation',
  level: 'restricted',
  title: 'Privilege escalation',
  description: 'Privilege escalation (such as via set-user-ID or set-group-ID file mode) should not be allowed.',
  versions: [
    { minimumVersion: 'v1.8', evaluate: allowPrivilegeEscalation_1_8 },
    { minimumVersion: 'v1.25', evaluate: allowPrivilegeEscalation_1_25 },
  ],
};

/** How a violation reads as a palisade finding (NIST SP 800-53 rev. 5; CIS Kubernetes Benchmark v1.9). */
export const allowPrivilegeEscalationRule = pssRule(allowPrivilegeEscalation, { severity: 'high', title: 'Container allows privilege escalation', remediation: 'Set securityContext.allowPrivilegeEscalation: false on every container.', nist: ['AC-6'], cis: ['5.2.6'] });
