import { ALLOWED, forbid, joinQuote, nameOf, pluralize, sortedUnique, specField } from '../helpers.js';
import { LIFECYCLE_KEYS, PROBE_KEYS, visitContainers, type HostHandler, type PodMeta, type PodSpec } from '../podSpec.js';
import { pssRule } from '../meta.js';
import type { CheckResult, FieldRef, PssCheck } from '../types.js';

/*
 * Probes and lifecycle handlers must not target another host.
 *
 * Restricted fields (for containers, initContainers and ephemeralContainers):
 *   livenessProbe, readinessProbe, startupProbe: .httpGet.host, .tcpSocket.host
 *   lifecycle.postStart, lifecycle.preStop: .httpGet.host, .tcpSocket.host
 *     (tcpSocket is not a supported lifecycle handler; upstream keeps it for backward compatibility)
 * Allowed values: "", undefined/null
 */

const HANDLER_KINDS = ['httpGet', 'tcpSocket'] as const;

/** Hosts set on one probe or lifecycle handler, with their pointers. */
function hostsOf(handler: HostHandler | undefined, pointer: string, hosts: string[], fields: FieldRef[]): void {
  for (const kind of HANDLER_KINDS) {
    const host = handler?.[kind]?.host;
    if (host !== undefined && host !== '') {
      hosts.push(host);
      fields.push(specField(pointer, kind, 'host'));
    }
  }
}

function hostProbesAndHostLifecycle_1_34(_meta: PodMeta, spec: PodSpec): CheckResult {
  const names: string[] = [];
  const hosts: string[] = [];
  const fields: FieldRef[] = [];
  for (const { container, pointer } of visitContainers(spec)) {
    const before = hosts.length;
    for (const probe of PROBE_KEYS) hostsOf(container[probe], `${pointer}/${probe}`, hosts, fields);
    for (const handler of LIFECYCLE_KEYS) hostsOf(container.lifecycle?.[handler], `${pointer}/lifecycle/${handler}`, hosts, fields);
    if (hosts.length > before) names.push(nameOf(container));
  }
  if (names.length === 0) return ALLOWED;
  // Upstream collects both containers and hosts in sets, so both lists come out sorted.
  const containers = sortedUnique(names);
  const uniqueHosts = sortedUnique(hosts);
  return forbid(
    'probe or lifecycle host',
    `${pluralize('container', 'containers', containers.length)} ${joinQuote(containers)} ${pluralize('uses', 'use', containers.length)} ` +
      `${pluralize('probe or lifecycle host', 'probe or lifecycle hosts', uniqueHosts.length)} ${joinQuote(uniqueHosts)}`,
    fields,
  );
}

export const hostProbesAndHostLifecycle: PssCheck = {
  id: 'hostProbesAndHostLifecycle',
  level: 'baseline',
  title: 'Probe and lifecycle hosts',
  description: 'Probes and lifecycle handlers must not set a host, which would let the kubelet reach other hosts on the pod\'s behalf.',
  versions: [{ minimumVersion: 'v1.34', evaluate: hostProbesAndHostLifecycle_1_34 }],
};

/** How a violation reads as a palisade finding (NIST SP 800-53 rev. 5; CIS Kubernetes Benchmark v1.9). */
export const hostProbesAndHostLifecycleRule = pssRule(hostProbesAndHostLifecycle, { severity: 'medium', title: 'Probe or lifecycle handler targets another host', remediation: 'Remove the host field from httpGet/tcpSocket probes and lifecycle handlers.', nist: ['SC-7'] });
