import { ALLOWED, containersPhrase, deepestField, forbid, isWindowsPod, joinQuote, nameOf, sortedUnique } from '../helpers.js';
import { visitContainers, type PodMeta, type PodSpec } from '../podSpec.js';
import { pssRule } from '../meta.js';
import type { CheckResult, FieldRef, PssCheck } from '../types.js';
import { ALLOWED_SECCOMP_TYPES } from './seccompProfile_baseline.js';

/*
 * Seccomp profile must be explicitly set to one of the allowed values. Both the Unconfined profile
 * and the absence of a profile are prohibited.
 *
 * Restricted fields:
 *   spec.securityContext.seccompProfile.type
 *   spec.containers[*].securityContext.seccompProfile.type
 *   spec.initContainers[*].securityContext.seccompProfile.type
 *   spec.ephemeralContainers[*].securityContext.seccompProfile.type
 * Allowed values: "RuntimeDefault", "Localhost"; undefined/null at container level if the pod
 * level is set
 *
 * From v1.25 Windows pods (spec.os.name: windows) are exempt.
 */

function seccompProfileRestricted_1_19(_meta: PodMeta, spec: PodSpec): CheckResult {
  const badSetters: string[] = [];
  const badValues: string[] = [];
  const explicitFields: FieldRef[] = [];
  const podProfile = spec.securityContext?.seccompProfile;
  let podProfileSet = false;
  if (podProfile) {
    if (ALLOWED_SECCOMP_TYPES.has(podProfile.type ?? '')) podProfileSet = true;
    else {
      badSetters.push('pod');
      badValues.push(podProfile.type ?? '');
      explicitFields.push(deepestField(spec, '', ['securityContext', 'seccompProfile', 'type']));
    }
  }

  const explicitlyBad: string[] = [];
  // Containers without a profile and without a valid pod-level profile to inherit.
  const implicitlyBad: string[] = [];
  const implicitFields: FieldRef[] = [];
  for (const { container, pointer } of visitContainers(spec)) {
    const profile = container.securityContext?.seccompProfile;
    if (profile) {
      if (!ALLOWED_SECCOMP_TYPES.has(profile.type ?? '')) {
        explicitlyBad.push(nameOf(container));
        badValues.push(profile.type ?? '');
        explicitFields.push(deepestField(container, pointer, ['securityContext', 'seccompProfile', 'type']));
      }
    } else if (!podProfileSet) {
      implicitlyBad.push(nameOf(container));
      implicitFields.push(deepestField(container, pointer, ['securityContext', 'seccompProfile']));
    }
  }

  if (explicitlyBad.length > 0) badSetters.push(containersPhrase(explicitlyBad));
  if (badSetters.length > 0) {
    return forbid(
      'seccompProfile',
      `${badSetters.join(' and ')} must not set securityContext.seccompProfile.type to ${joinQuote(sortedUnique(badValues))}`,
      explicitFields,
    );
  }
  if (implicitlyBad.length > 0) {
    return forbid(
      'seccompProfile',
      `pod or ${containersPhrase(implicitlyBad)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`,
      implicitFields,
    );
  }
  return ALLOWED;
}

function seccompProfileRestricted_1_25(meta: PodMeta, spec: PodSpec): CheckResult {
  if (isWindowsPod(spec)) return ALLOWED;
  return seccompProfileRestricted_1_19(meta, spec);
}

export const seccompProfile_restricted: PssCheck = {
  id: 'seccompProfile_restricted',
  level: 'restricted',
  title: 'Seccomp profile not set',
  description: 'The seccomp profile must be explicitly set to RuntimeDefault or Localhost; Unconfined and no profile are prohibited.',
  versions: [
    { minimumVersion: 'v1.19', evaluate: seccompProfileRestricted_1_19, overrides: ['seccompProfile_baseline'] },
    { minimumVersion: 'v1.25', evaluate: seccompProfileRestricted_1_25, overrides: ['seccompProfile_baseline'] },
  ],
};

/** How a violation reads as a palisade finding (NIST SP 800-53 rev. 5; CIS Kubernetes Benchmark v1.9). */
export const seccompProfile_restrictedRule = pssRule(seccompProfile_restricted, { severity: 'medium', title: 'Seccomp profile is not set to RuntimeDefault or Localhost', remediation: 'Set securityContext.seccompProfile.type: RuntimeDefault on the pod.', nist: ['SC-39', 'CM-7'], cis: ['5.7.2'] });
