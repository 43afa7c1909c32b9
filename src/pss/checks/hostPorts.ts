import { ALLOWED, containersPhrase, forbid, nameOf, pluralize, sortedUnique, specField } from '../helpers.js';
import { visitContainers, type PodMeta, type PodSpec } from '../podSpec.js';
import { pssRule } from '../meta.js';
import type { CheckResult, FieldRef, PssCheck } from '../types.js';

/*
 * HostPorts should be disallowed, or at minimum restricted to a known list.
 *
 * Restricted fields:
 *   spec.containers[*].ports[*].hostPort
 *   spec.initContainers[*].ports[*].hostPort
 *   spec.ephemeralContainers[*].ports[*].hostPort
 * Allowed values: undefined/null, 0
 */

function hostPorts_1_0(_meta: PodMeta, spec: PodSpec): CheckResult {
  const names: string[] = [];
  const ports: string[] = [];
  const fields: FieldRef[] = [];
  for (const { container, pointer } of visitContainers(spec)) {
    let usesHostPort = false;
    container.ports?.forEach((port, index) => {
      if (port?.hostPort !== undefined && port.hostPort !== 0) {
        usesHostPort = true;
        ports.push(String(port.hostPort));
        fields.push(specField(pointer, 'ports', index, 'hostPort'));
      }
    });
    if (usesHostPort) names.push(nameOf(container));
  }
  if (names.length === 0) return ALLOWED;
  // Upstream lists the ports from a string set: sorted as text, not as numbers.
  const unique = sortedUnique(ports);
  return forbid(
    'hostPort',
    `${containersPhrase(names)} ${pluralize('uses', 'use', names.length)} ${pluralize('hostPort', 'hostPorts', unique.length)} ${unique.join(', ')}`,
    fields,
  );
}

export const hostPorts: PssCheck = {
  id: 'hostPorts',
  level: 'baseline',
  title: 'Host ports',
  description: 'HostPorts should be disallowed entirely, or at minimum restricted to a known list.',
  versions: [{ minimumVersion: 'v1.0', evaluate: hostPorts_1_0 }],
};

/** How a violation reads as a palisade finding (NIST SP 800-53 rev. 5; CIS Kubernetes Benchmark v1.9). */
export const hostPortsRule = pssRule(hostPorts, { severity: 'medium', title: 'Container uses a host port', remediation: 'Remove hostPort from the container ports; expose the pod through a Service.', nist: ['SC-7', 'CM-7'], cis: ['5.2.13'] });
