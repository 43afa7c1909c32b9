import { ALLOWED, containersPhrase, deepestField, forbid, nameOf, relaxForUserNamespace, specField } from '../helpers.js';
import { visitContainers, type PodMeta, type PodSpec } from '../podSpec.js';
import { pssRule } from '../meta.js';
import type { CheckResult, FieldRef, PssCheck } from '../types.js';

/*
 * Containers must be required to run as non-root users.
 *
 * Restricted fields:
 *   spec.securityContext.runAsNonRoot
 *   spec.containers[*].securityContext.runAsNonRoot
 *   spec.initContainers[*].securityContext.runAsNonRoot
 *   spec.ephemeralContainers[*].securityContext.runAsNonRoot
 * Allowed values: true; undefined/null at container level if the pod level is true
 *
 * From v1.35 pods with their own user namespace (hostUsers: false) are exempt (KEP-127).
 */

function runAsNonRoot_1_0(_meta: PodMeta, spec: PodSpec): CheckResult {
  // Setters that explicitly set runAsNonRoot=false.
  const badSetters: string[] = [];
  const explicitFields: FieldRef[] = [];
  const podRunAsNonRoot = spec.securityContext?.runAsNonRoot;
  if (podRunAsNonRoot === false) {
    badSetters.push('pod');
    explicitFields.push(specField('', 'securityContext', 'runAsNonRoot'));
  }

  const explicitlyBad: string[] = [];
  // Containers that leave runAsNonRoot unset without a pod-level runAsNonRoot=true to inherit.
  const implicitlyBad: string[] = [];
  const implicitFields: FieldRef[] = [];
  for (const { container, pointer } of visitContainers(spec)) {
    const value = container.securityContext?.runAsNonRoot;
    if (value === false) {
      explicitlyBad.push(nameOf(container));
      explicitFields.push(specField(pointer, 'securityContext', 'runAsNonRoot'));
    } else if (value === undefined && podRunAsNonRoot !== true) {
      implicitlyBad.push(nameOf(container));
      implicitFields.push(deepestField(container, pointer, ['securityContext', 'runAsNonRoot']));
    }
  }

  if (explicitlyBad.length > 0) badSetters.push(containersPhrase(explicitlyBad));
  if (badSetters.length > 0) {
    return forbid('runAsNonRoot != true', `${badSetters.join(' and ')} must not set securityContext.runAsNonRoot=false`, explicitFields);
  }
  if (implicitlyBad.length > 0) {
    return forbid('runAsNonRoot != true', `pod or ${containersPhrase(implicitlyBad)} must set securityContext.runAsNonRoot=true`, implicitFields);
  }
  return ALLOWED;
}

function runAsNonRoot_1_35(meta: PodMeta, spec: PodSpec): CheckResult {
  if (relaxForUserNamespace(spec)) return ALLOWED;
  return runAsNonRoot_1_0(meta, spec);
}

export const runAsNonRoot: PssCheck = {
  id: 'runAsNonRoot',
  level: 'restricted',
  title: 'Running as non-root',
  description: 'Containers must be required to run as non-root users.',
  versions: [
    { minimumVersion: 'v1.0', evaluate: runAsNonRoot_1_0 },
    { minimumVersion: 'v1.35', evaluate: runAsNonRoot_1_35 },
  ],
};

/** How a violation reads as a palisade finding (NIST SP 800-53 rev. 5; CIS Kubernetes Benchmark v1.9). */
export const runAsNonRootRule = pssRule(runAsNonRoot, { severity: 'high', title: 'Container may run as root', remediation: 'Set securityContext.runAsNonRoot: true and a non-zero runAsUser (on the pod or every container).', nist: ['AC-6'], cis: ['5.2.7'] });
