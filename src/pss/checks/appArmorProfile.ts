import { ALLOWED, containersPhrase, deepestField, forbid, goQuote, joinQuote, metadataField, nameOf, pluralize, sortedUnique } from '../helpers.js';
import { visitContainers, type PodMeta, type PodSpec } from '../podSpec.js';
import { pssRule } from '../meta.js';
import type { CheckResult, FieldRef, PssCheck } from '../types.js';

/*
 * On supported hosts, the RuntimeDefault AppArmor profile is applied by default. The baseline
 * policy should prevent overriding or disabling the default AppArmor profile, or restrict
 * overrides to an allowed set of profiles.
 *
 * Restricted fields:
 *   metadata.annotations['container.apparmor.security.beta.kubernetes.io/*']
 * Allowed values: undefined/null, "", "runtime/default", "localhost/*"
 *
 *   spec.securityContext.appArmorProfile.type
 *   spec.containers[*].securityContext.appArmorProfile.type
 *   spec.initContainers[*].securityContext.appArmorProfile.type
 *   spec.ephemeralContainers[*].securityContext.appArmorProfile.type
 * Allowed values: undefined/null, "RuntimeDefault", "Localhost"
 */

export const APPARMOR_CONTAINER_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';
const ALLOWED_PROFILE_TYPES: ReadonlySet<string> = new Set(['RuntimeDefault', 'Localhost']);

function allowedAnnotationValue(value: string): boolean {
  return value === '' || value === 'runtime/default' || value.startsWith('localhost/');
}

function appArmorProfile_1_0(meta: PodMeta, spec: PodSpec): CheckResult {
  const badSetters: string[] = [];
  const badValues: string[] = [];
  const fields: FieldRef[] = [];
  const podProfile = spec.securityContext?.appArmorProfile;
  if (podProfile && !ALLOWED_PROFILE_TYPES.has(podProfile.type ?? '')) {
    badSetters.push('pod');
    badValues.push(podProfile.type ?? '');
    fields.push(deepestField(spec, '', ['securityContext', 'appArmorProfile', 'type']));
  }
  const names: string[] = [];
  for (const { container, pointer } of visitContainers(spec)) {
    const profile = container.securityContext?.appArmorProfile;
    if (profile && !ALLOWED_PROFILE_TYPES.has(profile.type ?? '')) {
      names.push(nameOf(container));
      badValues.push(profile.type ?? '');
      fields.push(deepestField(container, pointer, ['securityContext', 'appArmorProfile', 'type']));
    }
  }
  if (names.length > 0) badSetters.push(containersPhrase(names));

  // Any container annotation counts, whether or not it names a container of this pod.
  const forbiddenAnnotations: string[] = [];
  for (const [key, value] of meta.annotations) {
    if (key.startsWith(APPARMOR_CONTAINER_ANNOTATION_PREFIX) && !allowedAnnotationValue(value)) {
      forbiddenAnnotations.push(`${key}=${goQuote(value)}`);
      fields.push(metadataField('annotations', key));
    }
  }
  const values = sortedUnique(badValues);
  if (forbiddenAnnotations.length > 0) {
    values.push(...sortedUnique(forbiddenAnnotations));
    badSetters.push(pluralize('annotation', 'annotations', forbiddenAnnotations.length));
  }
  if (badSetters.length === 0) return ALLOWED;
  return forbid(
    pluralize('forbidden AppArmor profile', 'forbidden AppArmor profiles', values.length),
    `${badSetters.join(' and ')} must not set AppArmor profile type to ${joinQuote(values)}`,
    fields,
  );
}

export const appArmorProfile: PssCheck = {
  id: 'appArmorProfile',
  level: 'baseline',
  title: 'AppArmor profile',
  description: 'The default AppArmor profile must not be overridden or disabled; only RuntimeDefault and Localhost profiles are allowed.',
  versions: [{ minimumVersion: 'v1.0', evaluate: appArmorProfile_1_0 }],
};

/** How a violation reads as a palisade finding (NIST SP 800-53 rev. 5; CIS Kubernetes Benchmark v1.9). */
export const appArmorProfileRule = pssRule(appArmorProfile, { severity: 'medium', title: 'AppArmor profile is unconfined or not allowed', remediation: 'Remove the unconfined AppArmor profile; use RuntimeDefault or a Localhost profile.', nist: ['AC-6', 'SC-39'] });
