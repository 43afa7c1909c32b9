import { ALLOWED, containersPhrase, forbid, nameOf, specField } from '../helpers.js';
import { visitContainers, type PodMeta, type PodSpec } from '../podSpec.js';
import { pssRule } from '../meta.js';
import type { CheckResult, FieldRef, PssCheck } from '../types.js';

/*
 * Windows pods offer the ability to run HostProcess containers, which enable privileged access to
 * the Windows node. Privileged access to the host is disallowed in the baseline policy.
 *
 * Restricted fields:
 *   spec.securityContext.windowsOptions.hostProcess
 *   spec.containers[*].securityContext.windowsOptions.hostProcess
 *   spec.initContainers[*].securityContext.windowsOptions.hostProcess
 *   spec.ephemeralContainers[*].securityContext.windowsOptions.hostProcess
 * Allowed values: false, undefined/null
 */

function windowsHostProcess_1_0(_meta: PodMeta, spec: PodSpec): CheckResult {
  const setters: string[] = [];
  const fields: FieldRef[] = [];
  if (spec.securityContext?.windowsOptions?.hostProcess === true) {
    setters.push('pod');
    fields.push(specField('', 'securityContext', 'windowsOptions', 'hostProcess'));
  }
  const names: string[] = [];
  for (const { container, pointer } of visitContainers(spec)) {
    if (container.securityContext?.windowsOptions?.hostProcess === true) {
      names.push(nameOf(container));
      fields.push(specField(pointer, 'securityContext', 'windowsOptions', 'hostProcess'));
    }
  }
  if (names.length > 0) setters.push(containersPhrase(names));
  if (setters.length === 0) return ALLOWED;
  return forbid('hostProcess', `${setters.join(' and ')} must not set securityContext.windowsOptions.hostProcess=true`, fields);
}

export const windowsHostProcess: PssCheck = {
  id: 'windowsHostProcess',
  level: 'baseline',
  title: 'Windows HostProcess containers',
  description: 'HostProcess containers have privileged access to the Windows node and are disallowed.',
  versions: [{ minimumVersion: 'v1.0', evaluate: windowsHostProcess_1_0 }],
};

/** How a violation reads as a palisade finding (NIST SP 800-53 rev. 5; CIS Kubernetes Benchmark v1.9). */
export const windowsHostProcessRule = pssRule(windowsHostProcess, { severity: 'critical', title: 'Windows HostProcess container', remediation: 'Remove windowsOptions.hostProcess.', nist: ['AC-6', 'SC-39'], cis: ['5.2.11'] });
