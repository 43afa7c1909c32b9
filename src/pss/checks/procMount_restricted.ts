import { pssRule } from '../meta.js';
import type { PssCheck } from '../types.js';
import { procMount_1_0 } from './procMount.js';

/*
 * The default /proc masks are set up to reduce attack surface, and should be required by the
 * restricted profile even where baseline relaxes them (pods with hostUsers: false, from v1.35).
 *
 * Restricted fields:
 *   spec.containers[*].securityContext.procMount
 *   spec.initContainers[*].securityContext.procMount
 *   spec.ephemeralContainers[*].securityContext.procMount
 * Allowed values: undefined/null, "Default"
 */

export const procMount_restricted: PssCheck = {
  id: 'procMount_restricted',
  level: 'restricted',
  title: 'Unmasked /proc (restricted)',
  description: 'Restricted keeps requiring the default /proc masks, also in pods with their own user namespace.',
  // Before v1.35 the baseline procMount check is this strict already, so the override starts here.
  versions: [{ minimumVersion: 'v1.35', evaluate: procMount_1_0, overrides: ['procMount'] }],
};

/** How a violation reads as a palisade finding (NIST SP 800-53 rev. 5; CIS Kubernetes Benchmark v1.9). */
export const procMount_restrictedRule = pssRule(procMount_restricted, { severity: 'medium', title: 'Container uses an unmasked /proc', remediation: 'Remove securityContext.procMount or set it to Default (Unmasked is allowed only in user-namespaced pods at baseline).', nist: ['SC-39'] });
