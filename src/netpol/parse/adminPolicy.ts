import type { PalisadeError } from '../../core/errors.js';
import type { Resource } from '../../core/load.js';
import type { AdminAction, AdminPeer, AdminPolicy, AdminRule, RelativeNamespaces, RulePort } from '../model.js';
import { escapePointer, labelKeyProblem, MATCH_ALL, type Selector } from '../selector.js';
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
export interface AdminParseOptions {
  /**
   * Read `namespaces: {namespaceSelector | sameLabels | notSameLabels}` as v0.1.0-v0.1.1 defined it.
   * Off, as netpol-analyzer decodes it: those keys are dropped and `namespaces` selects every namespace.
   */
  legacyNamespacePeers: boolean;
}

export function parseAdminPolicy(resource: Resource, options: AdminParseOptions = { legacyNamespacePeers: true }): { policy?: AdminPolicy; errors: PalisadeError[]; warnings: PalisadeError[] } {
  const problems = new Problems(resource);
  const legacy = options.legacyNamespacePeers;
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
      const peers = (peersRaw ?? []).map((p, j) => parsePeer(p, `${pointer}/${peersKey}/${j}`, PEER_FIELDS[direction], problems, legacy)).filter((p) => p !== undefined);
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
  if (problems.errors.length > 0 || !subject) return { errors: problems.errors, warnings: problems.warnings };
  return { policy: { kind, name, priority, subject, ingress, egress, origin: problems.origin(`${kind}/${name}`, policyName, 'policy', '/metadata/name') }, errors: [], warnings: problems.warnings };
}

function parseSubject(raw: unknown, problems: Problems): AdminPolicy['subject'] | undefined {
  const subject = asObject(raw) ?? {};
  const fields = ['namespaces', 'pods'].filter((f) => subject[f] !== undefined && subject[f] !== null);
  if (fields.length !== 1) {
    problems.add('ANP_SUBJECT_FIELDS', '/spec/subject', `found ${fields.length === 0 ? 'none' : fields.join(' and ')}`);
    return undefined;
  }
  // Subjects were plain label selectors in every release: no relative forms here.
  const peer = parsePeer(subject, '/spec/subject', ['namespaces', 'pods'], problems, false, false);
  return peer && (peer.type === 'namespaces' || peer.type === 'pods') ? peer : undefined;
}

const LEGACY_NAMESPACE_FIELDS = ['namespaceSelector', 'sameLabels', 'notSameLabels'] as const;

/**
 * A `namespaces` peer: a label selector, or in the v0.1.0-v0.1.1 form exactly one of
 * namespaceSelector, sameLabels and notSameLabels.
 */
function parseNamespaces(raw: unknown, pointer: string, problems: Problems, legacy: boolean): { namespaceSelector: Selector; relative?: RelativeNamespaces } {
  const value = asObject(raw);
  const fields = value ? LEGACY_NAMESPACE_FIELDS.filter((f) => value[f] !== undefined && value[f] !== null) : [];
  const others = value ? Object.keys(value).filter((k) => !(LEGACY_NAMESPACE_FIELDS as readonly string[]).includes(k)) : [];
  if (!value || fields.length === 0) return { namespaceSelector: problems.selector(raw, pointer) };
  if (!legacy) {
    problems.warn('ANP_LEGACY_NAMESPACE_PEER', pointer, 'read as netpol-analyzer reads it: every namespace');
    return { namespaceSelector: problems.selector(Object.fromEntries(others.map((k) => [k, value[k]])), pointer) };
  }
  problems.warn('ANP_LEGACY_NAMESPACE_PEER', pointer, 'read with the meaning those releases gave it');
  for (const other of others) problems.warn('NETPOL_UNKNOWN_SELECTOR_FIELD', `${pointer}/${escapePointer(other)}`, `"${other}" next to ${fields.join(', ')}`);
  if (fields.length !== 1) {
    problems.add('ANP_PEER_FIELDS', pointer, `expected one of ${LEGACY_NAMESPACE_FIELDS.join(', ')}; found ${fields.join(', ')}`);
    return { namespaceSelector: MATCH_ALL };
  }
  const field = fields[0] as (typeof LEGACY_NAMESPACE_FIELDS)[number];
  if (field === 'namespaceSelector') return { namespaceSelector: problems.selector(value.namespaceSelector, `${pointer}/namespaceSelector`) };
  const keys = asArray(value[field]) ?? [];
  keys.forEach((key, i) => {
    const problem = typeof key === 'string' ? labelKeyProblem(key) : 'a label key must be a string';
    if (problem) problems.add('NETPOL_INVALID_SELECTOR', `${pointer}/${field}/${i}`, problem);
  });
  // An empty list selects nothing, as the API says; relativeMatches keeps that rule. notSameLabels
  // follows the CRD text of v0.1.1 (every label present, one value differs), which replaced the
  // first draft's "none of the labels" (kubernetes-sigs/network-policy-api#75).
  const labels = keys.filter((k): k is string => typeof k === 'string');
  return { namespaceSelector: MATCH_ALL, relative: field === 'sameLabels' ? { same: labels } : { notSame: labels } };
}

/** `legacy`: read v0.1.0-v0.1.1 namespace peers; `relativeForms`: false where they never existed (subjects). */
function parsePeer(raw: unknown, pointer: string, allowed: readonly string[], problems: Problems, legacy: boolean, relativeForms = true): AdminPeer | undefined {
  const peer = asObject(raw) ?? {};
  const fields = Object.keys(peer).filter((f) => peer[f] !== undefined && peer[f] !== null);
  if (fields.length !== 1 || !allowed.includes(fields[0] as string)) {
    problems.add('ANP_PEER_FIELDS', pointer, `expected one of ${allowed.join(', ')}; found ${fields.length === 0 ? 'none' : fields.join(', ')}`);
    return undefined;
  }
  switch (fields[0]) {
    case 'namespaces':
      return { type: 'namespaces', ...(relativeForms ? parseNamespaces(peer.namespaces, `${pointer}/namespaces`, problems, legacy) : { namespaceSelector: problems.selector(peer.namespaces, `${pointer}/namespaces`) }) };
    case 'pods': {
      const pods = asObject(peer.pods) ?? {};
      // v0.1.0-v0.1.1 wrote `pods: {namespaces: <namespaces peer>, podSelector}`.
      let namespaces: { namespaceSelector: Selector; relative?: RelativeNamespaces } = { namespaceSelector: problems.selector(pods.namespaceSelector, `${pointer}/pods/namespaceSelector`) };
      if (pods.namespaces !== undefined && pods.namespaces !== null) {
        if (legacy && relativeForms && pods.namespaceSelector === undefined) namespaces = parseNamespaces(pods.namespaces, `${pointer}/pods/namespaces`, problems, legacy);
        else problems.warn('ANP_LEGACY_NAMESPACE_PEER', `${pointer}/pods/namespaces`, pods.namespaceSelector === undefined ? 'not read here: the peer takes every namespace' : 'ignored: namespaceSelector is set');
      }
      return { type: 'pods', ...namespaces, podSelector: problems.selector(pods.podSelector, `${pointer}/pods/podSelector`) };
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
