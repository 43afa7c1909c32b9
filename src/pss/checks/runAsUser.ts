import { ALLOWED, containersPhrase, forbid, nameOf, relaxForUserNamespace, specField } from '../helpers.js';
import { visitContainers, type PodMeta, type PodSpec } from '../podSpec.js';
import { pssRule } from '../meta.js';
import type { CheckResult, FieldRef, PssCheck } from '../types.js';

/*
 * Containers must not set runAsUser: 0.
 *
 * Restricted fields:
 *   spec.securityContext.runAsUser
 *   spec.containers[*].securityContext.runAsUser
 *   spec.initContainers[*].securityContext.runAsUser
 *   spec.ephemeralContainers[*].securityContext.runAsUser
 * Allowed values: non-zero values, undefined/null
 *
 * From v1.35 pods with their own user namespace (hostUsers: false) are exempt (KEP-127).
 */

const ROOT_UID = 0;

function runAsUser_1_23(_meta: PodMeta, spec: PodSpec): CheckResult {
  const badSetters: string[] = [];
  const fields: FieldRef[] = [];
  if (spec.securityContext?.runAsUser === ROOT_UID) {
    badSetters.push('pod');
    fields.push(specField('', 'securityContext', 'runAsUser'));
  }
  const names: string[] = [];
  for (const { container, pointer } of visitContainers(spec)) {
    if (container.securityContext?.runAsUser === ROOT_UID) {
      names.push(nameOf(container));
      fields.push(specField(pointer, 'securityContext', 'runAsUser'));
    }
  }
  if (names.length > 0) badSetters.push(containersPhrase(names));
  if (badSetters.length === 0) return ALLOWED;
  return forbid('runAsUser=0', `${badSetters.join(' and ')} must not set runAsUser=0`, fields);
}

function runAsUser_1_35(meta: PodMeta, spec: PodSpec): CheckResult {
  if (relaxForUserNamespace(spec)) return ALLOWED;
  return runAsUser_1_23(meta, spec);
}

export const runAsUser: PssCheck = {
  id: 'runAsUser',
  level: 'restricted',
  title: 'Running as UID 0',
  description: 'Containers must not set runAsUser to 0 (root).',
  versions: [
    { minimumVersion: 'v1.23', evaluate: runAsUser_1_23 },
    { minimumVersion: 'v1.35', evaluate: runAsUser_1_35 },
  ],
};

/** How a violation reads as a palisade finding (NIST SP 800-53 rev. 5; CIS Kubernetes Benchmark v1.9). */
export const runAsUserRule = pssRule(runAsUser, { severity: 'high', title: 'Container runs as UID 0', remediation: 'Set runAsUser to a non-zero UID, or remove runAsUser: 0.', nist: ['AC-6'], cis: ['5.2.7'] });
