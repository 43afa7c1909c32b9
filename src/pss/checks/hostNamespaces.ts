import { ALLOWED, forbid, specField } from '../helpers.js';
import { pssRule } from '../meta.js';
import type { PodMeta, PodSpec } from '../podSpec.js';
import type { CheckResult, FieldRef, PssCheck } from '../types.js';

/*
 * Sharing the host namespaces must be disallowed.
 *
 * Restricted fields:
 *   spec.hostNetwork
 *   spec.hostPID
 *   spec.hostIPC
 * Allowed values: false, undefined/null
 */

const HOST_NAMESPACE_FIELDS = ['hostNetwork', 'hostPID', 'hostIPC'] as const;

function hostNamespaces_1_0(_meta: PodMeta, spec: PodSpec): CheckResult {
  const shared: string[] = [];
  const fields: FieldRef[] = [];
  for (const field of HOST_NAMESPACE_FIELDS) {
    if (spec[field] === true) {
      shared.push(`${field}=true`);
      fields.push(specField('', field));
    }
  }
  if (shared.length === 0) return ALLOWED;
  return forbid('host namespaces', shared.join(', '), fields);
}

export const hostNamespaces: PssCheck = {
  id: 'hostNamespaces',
  level: 'baseline',
  title: 'Host namespaces',
  description: 'Sharing the host network, PID or IPC namespace must be disallowed.',
  versions: [{ minimumVersion: 'v1.0', evaluate: hostNamespaces_1_0 }],
};

/** How a violation reads as a palisade finding (NIST SP 800-53 rev. 5; CIS Kubernetes Benchmark v1.9). */
export const hostNamespacesRule = pssRule(hostNamespaces, { severity: 'high', title: 'Pod shares the host network, PID or IPC namespace', remediation: 'Remove hostNetwork, hostPID and hostIPC (or set them to false).', nist: ['SC-7', 'SC-39'], cis: ['5.2.3', '5.2.4', '5.2.5'] });
