import type { PalisadeError } from '../../core/errors.js';
import type { Resource } from '../../core/load.js';
import type { AdminAction, AdminPeer, AdminPolicy, AdminRule, RelativeNamespaces, RulePort } from '../model.js';
import { escapePointer, labelKeyProblem, MATCH_ALL, type Selector } from '../selector.js';
import type { IpSet } from '../sets/ipSet.js';
import { MAX_PORT, MIN_PORT, PortSet } from '../sets/portSet.js';
import { asArray, asObject, gotText, metadataOf, Problems } from './common.js';

export const ANP_MIN_PRIORITY = 0;
export const ANP_MAX_PRIORITY = 1000;

/** The actions each kind's rules may take, as written, and what each means here. */
const ACTIONS: Record<AdminPolicy['kind'], Readonly<Record<string, AdminAction>>> = {
  AdminNetworkPolicy: { Allow: 'Allow', Deny: 'Deny', Pass: 'Pass' },
  BaselineAdminNetworkPolicy: { Allow: 'Allow', Deny: 'Deny' },
  // v1alpha2 renamed Allow to Accept; Pass in the Baseline tier goes on to the default (allow).
  ClusterNetworkPolicy: { Accept: 'Allow', Deny: 'Deny', Pass: 'Pass' },
};

/** Which peer fields each direction may use (v1alpha1; v1alpha2 adds domainNames on egress). */
const PEER_FIELDS = {
  ingress: ['namespaces', 'pods'],
  egress: ['namespaces', 'pods', 'nodes', 'networks'],
} as const;
const CNP_EGRESS_PEER_FIELDS = [...PEER_FIELDS.egress, 'domainNames'] as const;

const SHORT_NAMES: Record<AdminPolicy['kind'], string> = { AdminNetworkPolicy: 'ANP', BaselineAdminNetworkPolicy: 'BANP', ClusterNetworkPolicy: 'CNP' };

/**
 * policy.networking.k8s.io/v1alpha1 AdminNetworkPolicy or BaselineAdminNetworkPolicy, or v1alpha2
 * ClusterNetworkPolicy (kubernetes-sigs/network-policy-api apis/v1alpha2, 0eec1b0) → model.
 * Checks that need the other policies (duplicate priorities, the BANP singleton) are in buildModel.
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
  const v1alpha2 = kind === 'ClusterNetworkPolicy';
  const { name } = metadataOf(resource.object);
  const spec = asObject(resource.object.spec) ?? {};
  const policyName = `${SHORT_NAMES[kind]} ${name}`;

  let tier: AdminPolicy['tier'] = kind === 'BaselineAdminNetworkPolicy' ? 'Baseline' : 'Admin';
  if (v1alpha2) {
    if (spec.tier === 'Admin' || spec.tier === 'Baseline') tier = spec.tier;
    else problems.add('CNP_INVALID_TIER', '/spec/tier', gotText(spec.tier));
  }
  let priority = Number.POSITIVE_INFINITY;
  if (kind !== 'BaselineAdminNetworkPolicy') {
    priority = typeof spec.priority === 'number' ? spec.priority : Number.NaN;
    if (!Number.isInteger(priority) || priority < ANP_MIN_PRIORITY || priority > ANP_MAX_PRIORITY) problems.add('ANP_INVALID_PRIORITY', '/spec/priority', gotText(spec.priority));
  } else if (name !== 'default') problems.add('BANP_NAME_NOT_DEFAULT', '/metadata/name', `got "${name}"`);

  const subject = parseSubject(spec.subject, problems);
  const rules = (direction: 'ingress' | 'egress'): AdminRule[] =>
    (asArray(spec[direction]) ?? []).map((raw, i) => {
      const pointer = `/spec/${direction}/${i}`;
      const rule = asObject(raw) ?? {};
      const ruleName = typeof rule.name === 'string' ? rule.name : `#${i + 1}`;
      const id = `${kind}/${name}/${direction}/${i}`;
      const known = Object.hasOwn(ACTIONS[kind], String(rule.action));
      if (!known) problems.add('ANP_INVALID_ACTION', `${pointer}/action`, gotText(rule.action));
      // An unknown action is an error: the policy is left out, so the stand-in is never evaluated.
      const action = known ? ACTIONS[kind][String(rule.action)]! : 'Deny';
      const peersKey = direction === 'ingress' ? 'from' : 'to';
      const peersRaw = asArray(rule[peersKey]);
      if (!peersRaw || peersRaw.length === 0) problems.add('ANP_EMPTY_PEERS', `${pointer}/${peersKey}`);
      const allowed = v1alpha2 && direction === 'egress' ? CNP_EGRESS_PEER_FIELDS : PEER_FIELDS[direction];
      // v1alpha2 has plain label selectors only: no v0.1.0-v0.1.1 namespace forms.
      const peers = (peersRaw ?? []).map((p, j) => parsePeer(p, `${pointer}/${peersKey}/${j}`, allowed, problems, legacy && !v1alpha2, !v1alpha2, String(rule.action))).filter((p) => p !== undefined);
      let ports: RulePort[] | undefined;
      if (v1alpha2) {
        ports = rule.protocols === undefined || rule.protocols === null ? undefined : (asArray(rule.protocols) ?? []).map((p, j) => parseProtocol(p, `${pointer}/protocols/${j}`, id, problems)).filter((p) => p !== undefined);
        if (ports?.some((p) => 'named' in p) && (peersRaw ?? []).some((p) => ['networks', 'nodes', 'domainNames'].some((f) => asObject(p)?.[f] !== undefined))) problems.add('CNP_NAMED_PORT_WITHOUT_PODS', `${pointer}/protocols`);
      } else {
        const portsRaw = asArray(rule.ports);
        ports = rule.ports === undefined || rule.ports === null ? undefined : (portsRaw ?? []).map((p, j) => parsePort(p, `${pointer}/ports/${j}`, id, problems)).filter((p) => p !== undefined);
      }
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
  return { policy: { kind, tier, name, priority, subject, ingress, egress, origin: problems.origin(`${kind}/${name}`, policyName, 'policy', '/metadata/name') }, errors: [], warnings: problems.warnings };
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

/**
 * `legacy`: read v0.1.0-v0.1.1 namespace peers; `relativeForms`: false where they never existed
 * (subjects, v1alpha2); `action`: the rule's, as written (domainNames need Accept).
 */
function parsePeer(raw: unknown, pointer: string, allowed: readonly string[], problems: Problems, legacy: boolean, relativeForms = true, action?: string): AdminPeer | undefined {
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
    case 'domainNames':
      // Which addresses a name stands for is known only at run time (the DNS answers the pod sees).
      if (action !== 'Accept') problems.add('CNP_DOMAIN_NAMES_ACTION', `${pointer}/domainNames`, gotText(action));
      else problems.warn('CNP_DOMAIN_NAMES_UNRESOLVED', `${pointer}/domainNames`);
      return { type: 'networks', ips: [] };
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
      problems.add('NETPOL_INVALID_PORT', `${pointer}/portNumber/port`, gotText(number.port));
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

/**
 * A v1alpha2 protocols entry: exactly one of tcp, udp, sctp (each with a destinationPort of exactly
 * one of number and range, start < end) and destinationNamedPort.
 */
function parseProtocol(raw: unknown, pointer: string, ruleId: string, problems: Problems): RulePort | undefined {
  const entry = asObject(raw) ?? {};
  const fields = ['tcp', 'udp', 'sctp', 'destinationNamedPort'].filter((f) => entry[f] !== undefined && entry[f] !== null);
  if (fields.length !== 1) {
    problems.add('CNP_PROTOCOL_FIELDS', pointer, `found ${fields.length === 0 ? 'none' : fields.join(', ')}`);
    return undefined;
  }
  const field = fields[0]!;
  if (field === 'destinationNamedPort') {
    if (typeof entry.destinationNamedPort === 'string' && entry.destinationNamedPort !== '') return { protocol: 'TCP', named: entry.destinationNamedPort };
    problems.add('NETPOL_INVALID_PORT', `${pointer}/destinationNamedPort`, 'a named port must be a non-empty string');
    return undefined;
  }
  const protocol = field.toUpperCase() as 'TCP' | 'UDP' | 'SCTP';
  const port = asObject(asObject(entry[field])?.destinationPort);
  const which = port ? ['number', 'range'].filter((f) => port[f] !== undefined && port[f] !== null) : [];
  if (!port || which.length !== 1) {
    problems.add('CNP_PROTOCOL_FIELDS', `${pointer}/${field}`, `destinationPort: found ${which.length === 0 ? 'none' : which.join(', ')}`);
    return undefined;
  }
  if (which[0] === 'number') {
    const n = port.number;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < MIN_PORT || n > MAX_PORT) {
      problems.add('NETPOL_INVALID_PORT', `${pointer}/${field}/destinationPort/number`, gotText(n));
      return undefined;
    }
    return { protocol, ports: PortSet.range(n, n, [ruleId]) };
  }
  const range = asObject(port.range) ?? {};
  const { start, end } = range;
  // v1alpha2's validation: start < end (a one-port range is written as a number).
  if (typeof start !== 'number' || typeof end !== 'number' || !Number.isInteger(start) || !Number.isInteger(end) || start < MIN_PORT || end > MAX_PORT || start >= end) {
    problems.add('NETPOL_INVALID_PORT_RANGE', `${pointer}/${field}/destinationPort/range`, `${String(start)}-${String(end)} (start must be less than end)`);
    return undefined;
  }
  return { protocol, ports: PortSet.range(start, end, [ruleId]) };
}
