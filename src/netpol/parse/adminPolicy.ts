import type { PalisadeError } from '../../core/errors.js';
import type { Resource } from '../../core/load.js';
import type { AdminAction, AdminPeer, AdminPolicy, AdminRule, RulePort } from '../model.js';
import type { IpSet } from '../sets/ipSet.js';
import { MAX_PORT, MIN_PORT, PortSet } from '../sets/portSet.js';
import { asArray, asObject, metadataOf, Problems } from './common.js';

export const ANP_MIN_PRIORITY = 0;
export const ANP_MAX_PRIORITY = 1000;

const ACTIONS: Record<AdminPolicy['kind'], readonly AdminAction[]> = {
  AdminNetworkPolicy: ['Allow', 'Deny', 'Pass'],
  BaselineAdminNetworkPolicy: ['Allow', 'Deny'],
};

/** Which peer fields each direction may use (policy.networking.k8s.io/v1alpha1). */
const PEER_FIELDS = {
  ingress: ['namespaces', 'pods'],
  egress: ['namespaces', 'pods', 'nodes', 'networks'],
} as const;

/**
 * policy.networking.k8s.io/v1alpha1 AdminNetworkPolicy or BaselineAdminNetworkPolicy → model.
 * Checks that do not need the other policies (duplicate priorities, the BANP singleton) are in
 * `validatePolicySet`.
 */
export function parseAdminPolicy(resource: Resource): { policy?: AdminPolicy; errors: PalisadeError[] } {
  const problems = new Problems(resource);
  const kind = resource.object.kind as AdminPolicy['kind'];
  const { name } = metadataOf(resource.object);
  const spec = asObject(resource.object.spec) ?? {};
  const short = kind === 'AdminNetworkPolicy' ? 'ANP' : 'BANP';
  const policyName = `${short} ${name}`;

  let priority = Number.POSITIVE_INFINITY;
  if (kind === 'AdminNetworkPolicy') {
    priority = typeof spec.priority === 'number' ? spec.priority : Number.NaN;
    if (!Number.isInteger(priority) || priority < ANP_MIN_PRIORITY || priority > ANP_MAX_PRIORITY) problems.add('ANP_INVALID_PRIORITY', '/spec/priority', `got ${JSON.stringify(spec.priority)}`);
  } else if (name !== 'default') problems.add('BANP_NAME_NOT_DEFAULT', '/metadata/name', `got "${name}"`);

  const subject = parseSubject(spec.subject, problems);
  const rules = (direction: 'ingress' | 'egress'): AdminRule[] =>
    (asArray(spec[direction]) ?? []).map((raw, i) => {
      const pointer = `/spec/${direction}/${i}`;
      const rule = asObject(raw) ?? {};
      const ruleName = typeof rule.name === 'string' ? rule.name : `#${i + 1}`;
      const id = `${kind}/${name}/${direction}/${i}`;
      const action = rule.action as AdminAction;
      if (!ACTIONS[kind].includes(action)) problems.add('ANP_INVALID_ACTION', `${pointer}/action`, `got ${JSON.stringify(rule.action)}`);
      const peersKey = direction === 'ingress' ? 'from' : 'to';
      const peersRaw = asArray(rule[peersKey]);
      if (!peersRaw || peersRaw.length === 0) problems.add('ANP_EMPTY_PEERS', `${pointer}/${peersKey}`);
      const peers = (peersRaw ?? []).map((p, j) => parsePeer(p, `${pointer}/${peersKey}/${j}`, PEER_FIELDS[direction], problems)).filter((p) => p !== undefined);
      const portsRaw = asArray(rule.ports);
      const ports = rule.ports === undefined || rule.ports === null ? undefined : (portsRaw ?? []).map((p, j) => parsePort(p, `${pointer}/ports/${j}`, id, problems)).filter((p) => p !== undefined);
      return {
        origin: problems.origin(id, policyName, `${direction} rule "${ruleName}" (${String(rule.action)})`, pointer),
        action,
        peers,
        ...(ports ? { ports } : {}),
      };
    });
  const ingress = rules('ingress');
  const egress = rules('egress');
  if (problems.errors.length > 0 || !subject) return { errors: problems.errors };
  return { policy: { kind, name, priority, subject, ingress, egress, origin: problems.origin(`${kind}/${name}`, policyName, 'policy', '/metadata/name') }, errors: [] };
}

function parseSubject(raw: unknown, problems: Problems): AdminPolicy['subject'] | undefined {
  const subject = asObject(raw) ?? {};
  const fields = ['namespaces', 'pods'].filter((f) => subject[f] !== undefined && subject[f] !== null);
  if (fields.length !== 1) {
    problems.add('ANP_SUBJECT_FIELDS', '/spec/subject', `found ${fields.length === 0 ? 'none' : fields.join(' and ')}`);
    return undefined;
  }
  const peer = parsePeer(subject, '/spec/subject', ['namespaces', 'pods'], problems);
  return peer && (peer.type === 'namespaces' || peer.type === 'pods') ? peer : undefined;
}

function parsePeer(raw: unknown, pointer: string, allowed: readonly string[], problems: Problems): AdminPeer | undefined {
  const peer = asObject(raw) ?? {};
  const fields = Object.keys(peer).filter((f) => peer[f] !== undefined && peer[f] !== null);
  if (fields.length !== 1 || !allowed.includes(fields[0] as string)) {
    problems.add('ANP_PEER_FIELDS', pointer, `expected one of ${allowed.join(', ')}; found ${fields.length === 0 ? 'none' : fields.join(', ')}`);
    return undefined;
  }
  switch (fields[0]) {
    case 'namespaces':
      return { type: 'namespaces', namespaceSelector: problems.selector(peer.namespaces, `${pointer}/namespaces`) };
    case 'pods': {
      const pods = asObject(peer.pods) ?? {};
      return {
        type: 'pods',
        namespaceSelector: problems.selector(pods.namespaceSelector, `${pointer}/pods/namespaceSelector`),
        podSelector: problems.selector(pods.podSelector, `${pointer}/pods/podSelector`),
      };
    }
    case 'networks':
      return { type: 'networks', ips: (asArray(peer.networks) ?? []).map((c, k) => problems.cidr(c, `${pointer}/networks/${k}`)).filter((s): s is IpSet => s !== undefined) };
    default:
      return { type: 'nodes' };
  }
}

function parsePort(raw: unknown, pointer: string, ruleId: string, problems: Problems): RulePort | undefined {
  const entry = asObject(raw) ?? {};
  const fields = ['portNumber', 'namedPort', 'portRange'].filter((f) => entry[f] !== undefined && entry[f] !== null);
  if (fields.length !== 1) {
    problems.add('ANP_PORT_FIELDS', pointer, `found ${fields.length === 0 ? 'none' : fields.join(', ')}`);
    return undefined;
  }
  if (typeof entry.namedPort === 'string') return { protocol: 'TCP', named: entry.namedPort };
  if (entry.namedPort !== undefined) {
    problems.add('NETPOL_INVALID_PORT', `${pointer}/namedPort`, 'a named port must be a string');
    return undefined;
  }
  const number = asObject(entry.portNumber);
  if (number) {
    const port = Number(number.port);
    const protocol = problems.protocol(number.protocol, `${pointer}/portNumber/protocol`);
    if (!Number.isInteger(port) || port < MIN_PORT || port > MAX_PORT) {
      problems.add('NETPOL_INVALID_PORT', `${pointer}/portNumber/port`, `got ${JSON.stringify(number.port)}`);
      return undefined;
    }
    return { protocol, ports: PortSet.range(port, port, [ruleId]) };
  }
  const range = asObject(entry.portRange) ?? {};
  const protocol = problems.protocol(range.protocol, `${pointer}/portRange/protocol`);
  const start = Number(range.start);
  const end = Number(range.end);
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < MIN_PORT || end > MAX_PORT || end < start) {
    problems.add('NETPOL_INVALID_PORT_RANGE', `${pointer}/portRange`, `${String(range.start)}-${String(range.end)}`);
    return undefined;
  }
  return { protocol, ports: PortSet.range(start, end, [ruleId]) };
}
