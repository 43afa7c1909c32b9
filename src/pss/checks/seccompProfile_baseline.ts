import { ALLOWED, containersPhrase, deepestField, forbid, goQuote, joinQuote, metadataField, nameOf, pluralize, sortedUnique } from '../helpers.js';
import { visitContainers, type PodMeta, type PodSpec } from '../podSpec.js';
import { pssRule } from '../meta.js';
import type { CheckResult, FieldRef, PssCheck } from '../types.js';

/*
 * Seccomp profile must not be explicitly set to Unconfined.
 *
 * Restricted fields (v1.0 – v1.18, the legacy annotations):
 *   metadata.annotations['seccomp.security.alpha.kubernetes.io/pod']
 *   metadata.annotations['container.seccomp.security.alpha.kubernetes.io/*']
 * Allowed values: undefined/null, "runtime/default", "docker/default", "localhost/*"
 *
 * Restricted fields (v1.19 on):
 *   spec.securityContext.seccompProfile.type
 *   spec.containers[*].securityContext.seccompProfile.type
 *   spec.initContainers[*].securityContext.seccompProfile.type
 *   spec.ephemeralContainers[*].securityContext.seccompProfile.type
 * Allowed values: undefined/null, "RuntimeDefault", "Localhost"
 */

export const SECCOMP_POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
export const SECCOMP_CONTAINER_ANNOTATION_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';
export const ALLOWED_SECCOMP_TYPES: ReadonlySet<string> = new Set(['RuntimeDefault', 'Localhost']);

function allowedAnnotationValue(value: string): boolean {
  return value === 'runtime/default' || value === 'docker/default' || value.startsWith('localhost/');
}

function seccompProfileBaseline_1_0(meta: PodMeta, spec: PodSpec): CheckResult {
  const forbidden: string[] = [];
  const fields: FieldRef[] = [];
  const judged = new Set<string>();
  // Containers sharing a name share an annotation: judge (and point at) each key once.
  const judge = (key: string): void => {
    if (judged.has(key)) return;
    judged.add(key);
    const value = meta.annotations.get(key);
    if (value !== undefined && !allowedAnnotationValue(value)) {
      forbidden.push(`${key}=${goQuote(value)}`);
      fields.push(metadataField('annotations', key));
    }
  };
  judge(SECCOMP_POD_ANNOTATION);
  for (const { container } of visitContainers(spec)) judge(SECCOMP_CONTAINER_ANNOTATION_PREFIX + nameOf(container));
  if (forbidden.length === 0) return ALLOWED;
  const sorted = sortedUnique(forbidden);
  return forbid('seccompProfile', `forbidden ${pluralize('annotation', 'annotations', sorted.length)} ${sorted.join(', ')}`, fields);
}

function seccompProfileBaseline_1_19(_meta: PodMeta, spec: PodSpec): CheckResult {
  const badSetters: string[] = [];
  const badValues: string[] = [];
  const fields: FieldRef[] = [];
  const podProfile = spec.securityContext?.seccompProfile;
  if (podProfile && !ALLOWED_SECCOMP_TYPES.has(podProfile.type ?? '')) {
    badSetters.push('pod');
    badValues.push(podProfile.type ?? '');
    fields.push(deepestField(spec, '', ['securityContext', 'seccompProfile', 'type']));
  }
  const names: string[] = [];
  for (const { container, pointer } of visitContainers(spec)) {
    const profile = container.securityContext?.seccompProfile;
    if (profile && !ALLOWED_SECCOMP_TYPES.has(profile.type ?? '')) {
      names.push(nameOf(container));
      badValues.push(profile.type ?? '');
      fields.push(deepestField(container, pointer, ['securityContext', 'seccompProfile', 'type']));
    }
  }
  if (names.length > 0) badSetters.push(containersPhrase(names));
  if (badSetters.length === 0) return ALLOWED;
  return forbid(
    'seccompProfile',
    `${badSetters.join(' and ')} must not set securityContext.seccompProfile.type to ${joinQuote(sortedUnique(badValues))}`,
    fields,
  );
}

export const seccompProfile_baseline: PssCheck = {
  id: 'seccompProfile_baseline',
  level: 'baseline',
  title: 'Unconfined seccomp profile',
  description: 'The seccomp profile must not be explicitly set to Unconfined.',
  versions: [
    { minimumVersion: 'v1.0', evaluate: seccompProfileBaseline_1_0 },
    { minimumVersion: 'v1.19', evaluate: seccompProfileBaseline_1_19 },
  ],
};

/** How a violation reads as a palisade finding (NIST SP 800-53 rev. 5; CIS Kubernetes Benchmark v1.9). */
export const seccompProfile_baselineRule = pssRule(seccompProfile_baseline, { severity: 'medium', title: 'Seccomp profile is Unconfined', remediation: 'Set securityContext.seccompProfile.type to RuntimeDefault or Localhost.', nist: ['SC-39', 'CM-7'], cis: ['5.7.2'] });
